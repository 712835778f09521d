/*
 * scheduler.h - a kube-scheduler pass over the pending pods.
 *
 * Filter (NodeResourcesFit incl. extended resources, pod count,
 * NodeUnschedulable, TaintToleration, NodeSelector) then score
 * (NodeResourcesFit LeastAllocated and NodeResourcesBalancedAllocation over cpu
 * and memory, weight 1 each); ties are broken uniformly at random as upstream's
 * selectHost does, with the scheduler's own RNG stream. Like upstream, only a
 * share of feasible nodes is looked for in large clusters
 * (percentageOfNodesToScore, adaptive default), starting where the previous
 * pod's search stopped.
 */
#ifndef CS_CONTROLLERS_SCHEDULER_H
#define CS_CONTROLLERS_SCHEDULER_H

#include <stdint.h>

struct cs_sim;
struct cs_pod;

/* 1 if pod p of workload fits node n (filter plugins only). */
int cs_scheduler_fits(const struct cs_sim *sim, uint32_t p, uint32_t n);

/* Number of feasible nodes to find before scoring, for a cluster of
 * `nodes` nodes (upstream numFeasibleNodesToFind with the adaptive
 * percentage). */
uint32_t cs_scheduler_num_to_find(uint32_t nodes, int percentage);

/* Try to bind every pending pod, in queue order. Pods that fit nowhere stay
 * pending. O(pending x nodes) worst case. */
void cs_scheduler_pass(struct cs_sim *sim);

#endif
