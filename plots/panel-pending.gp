
    # -- Pods waiting for a node ----------------------------------------------
    panel = panel + 1
    set tmargin at screen panel_top(panel, npanels)
    set bmargin at screen panel_bottom(panel, npanels)
    set key at screen plot_left, panel_top(panel, npanels) + 6.0 / height
    set xlabel (panel == npanels ? tlabel : '')  # on the bottom panel only
    set ylabel 'pending (pods)'
    set yrange [0 : @PEND_YMAX@]
    set ytics 0, @PEND_STEP@ nomirror out
    plot \
        timeline using (column("time_s") / tscale):(v("pending_pods")) \
            with steps lw 2 lc rgb c_pending title 'pending pods', \
#@endplot
