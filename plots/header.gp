# plot.gp - figures of the capsim run in this directory.
#
# Written by capsim @VERSION@ (`capsim plot`, or `capsim run --plot`) from
# its templates; edit it freely and draw again with
#
#     cd THIS_DIRECTORY && gnuplot plot.gp
#
# File names are relative to this directory. Each workload gets one figure,
# drawn twice: plot-WORKLOAD.png and plot-WORKLOAD.svg. Every panel reads
# the CSV files directly; capsim's docs/plots.md describes what they show.

set datafile separator comma
set datafile columnheaders
# A workload's rows are picked out of timeline.csv by the function v()
# (below, per figure), which makes the other workloads' rows NaN. NaN is
# "missing": gnuplot skips those rows and joins a workload's own points.
set datafile missing NaN
timeline = 'timeline.csv'
nodes = 'nodes.csv'

# Time: the CSVs count seconds, the axis shows @TUNIT_NAME@.
tscale = @TSCALE@  # seconds per axis unit
tlabel = 'time (@TUNIT@)'
tmin = @TMIN@      # first and last sample (s)
tmax = @TMAX@

# Figure size in pixels (PNG and SVG alike).
width = @WIDTH@
height = @HEIGHT@

# Layout: the panels are stacked between fig_top and fig_bottom (screen
# fractions, 0 = bottom). Panel i of n (1 = top) leaves key_room above its
# plot area for its key and tic_room below for the time tics and label.
fig_top = 1 - 56.0 / height
fig_bottom = 28.0 / height  # room for the time axis' label
key_room = 34.0 / height
tic_room = 40.0 / height
panel_top(i, n) = fig_top - (i - 1) * (fig_top - fig_bottom) / n - key_room
panel_bottom(i, n) = fig_top - i * (fig_top - fig_bottom) / n + tic_room
plot_left = 100.0 / width
plot_right = 1 - 100.0 / width

# One colour per series, the same in every figure.
c_load = '#8c8c8c'
c_desired = '#9ecae9'  # drawn wide, under ready
c_ready = '#2ca02c'
c_demand = '#d62728'
c_cpu = '#ff7f0e'
c_pending = '#9467bd'
c_latency = '#1f77b4'
c_dropped = '#d62728'
c_limit = '#404040'   # HPA target, SLO
c_cost = '#404040'
#@if VPA
c_cpu_request = '#ff7f0e'     # requests per pod, solid; the VPA's
c_memory_request = '#17a2b8'  # targets dashed
c_oom = '#d62728'             # OOM kills
#@endif
#@if NODES

# Node pools in nodes.csv, one line each in the last panel.
array pools[@NPOOLS@] = [@POOLS@]
#@endif
