
    # -- Load (right axis) and replicas: what the HPA asked for, what was
    # ready, and what the load needed -----------------------------------------
    panel = panel + 1
    set tmargin at screen panel_top(panel, npanels)
    set bmargin at screen panel_bottom(panel, npanels)
    set key at screen plot_left, panel_top(panel, npanels) + 6.0 / height
    set xlabel (panel == npanels ? tlabel : '')  # on the bottom panel only
    set ylabel 'replicas (pods)'
    set yrange [0 : @REPL_YMAX@]
    set ytics 0, @REPL_STEP@ nomirror out
    set format y '%g'
#@if RPS
    set y2label 'load (requests/s)'
    set y2range [0 : @RPS_YMAX@]
    set y2tics nomirror out
    set border 11
#@endif
    plot \
#@if RPS
        timeline using (column("time_s") / tscale):(v("rps")) \
            axes x1y2 with fillsteps fs solid 0.25 noborder lc rgb c_load \
            title 'load (right axis)', \
#@endif
#@if DESIRED
        timeline using (column("time_s") / tscale):(v("desired_replicas")) \
            with steps lw 5 lc rgb c_desired title 'desired (HPA)', \
#@endif
#@if READY
        timeline using (column("time_s") / tscale):(v("ready_replicas")) \
            with steps lw 2 lc rgb c_ready title 'ready', \
#@endif
#@if DEMAND
        timeline using (column("time_s") / tscale):(v("demand_replicas")) \
            with steps lw 2 dt 2 lc rgb c_demand \
            title 'ready pods needed', \
#@endif
#@endplot
    unset y2label
    unset y2tics
    set border 3
