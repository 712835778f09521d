
    # -- Nodes per pool, and the cluster's cumulative cost (right axis) -------
    # nodes.csv has one row per pool per sample; `smooth frequency` adds up
    # the pools' cost_usd_total at each time into the cluster's total.
    panel = panel + 1
    set tmargin at screen panel_top(panel, npanels)
    set bmargin at screen panel_bottom(panel, npanels)
    set key at screen plot_left, panel_top(panel, npanels) + 6.0 / height
    set xlabel (panel == npanels ? tlabel : '')  # on the bottom panel only
    set ylabel 'nodes'
    set yrange [0 : @NODES_YMAX@]
    set ytics 0, @NODES_STEP@ nomirror out
#@if COST
    set y2label 'cumulative cost (USD)'
    set y2range [0 : @COST_YMAX@]
    set y2tics autofreq nomirror out
    set border 11
#@endif
    plot \
#@if NODE_COUNTS
        for [i = 1 : |pools|] nodes \
            using (column("time_s") / tscale):(strcol("pool") eq pools[i] ? \
                   column("nodes") : NaN) \
            with steps lw 2 lc i title 'nodes: ' . pools[i], \
#@endif
#@if COST
        nodes using (column("time_s") / tscale):(column("cost_usd_total")) \
            smooth frequency axes x1y2 with lines lw 2 dt 2 lc rgb c_cost \
            title 'total cost (right axis)', \
#@endif
#@endplot
    unset y2label
    unset y2tics
    set border 3
