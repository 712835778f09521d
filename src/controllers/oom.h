/*
 * oom.h - memory limits and OOM kills.
 *
 * A running container's memory is its workload's model (service.h: a base,
 * a share per request in flight, and memoryGrowth per second of uptime).
 * At every metrics scrape, a pod whose serving container uses more than
 * its memory limit is OOM-killed: it stops being ready, its container
 * restarts after the kubelet's CrashLoopBackOff delay (10 s, doubled at
 * each crash up to 5 min, back to 10 s once the container ran 10 min
 * without crashing), and the kill is recorded for the VPA recommender
 * (cs_vpa_pod_oom) and the updater's quick-OOM rule. Detection happens at
 * the scrape resolution (15 s by default).
 *
 *   RUNNING/READY --usage > limit (cs_oom_check)--> RUNNING, no container
 *   --back-off over (CS_EV_POD_RESTART)--> RUNNING, container started
 *   --probe--> READY
 *
 * A scrape costs O(1) per workload whose pods cannot reach their limit
 * (no growth, and the largest sample below the smallest limit any of its
 * specs has had), O(pods) otherwise.
 */
#ifndef CS_CONTROLLERS_OOM_H
#define CS_CONTROLLERS_OOM_H

#include <stdint.h>

struct cs_sim;

#define CS_BACKOFF_INITIAL ((cs_time_ms)10 * 1000)
#define CS_BACKOFF_MAX ((cs_time_ms)300 * 1000)

/* Kill the pods of workload w that are over their memory limit now. */
void cs_oom_check(struct cs_sim *sim, uint32_t w);

#endif
