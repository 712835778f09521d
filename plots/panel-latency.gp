
    # -- Latency p95 with the SLO, and requests dropped (right axis) ----------
    panel = panel + 1
    set tmargin at screen panel_top(panel, npanels)
    set bmargin at screen panel_bottom(panel, npanels)
    set key at screen plot_left, panel_top(panel, npanels) + 6.0 / height
    set xlabel (panel == npanels ? tlabel : '')  # on the bottom panel only
    set ylabel 'latency p95 (ms)'
    set yrange [0 : @LAT_YMAX@]
    set ytics autofreq nomirror out
#@if DROPPED
    set y2label 'dropped (requests/s)'
    set y2range [0 : @DROP_YMAX@]
    set y2tics autofreq nomirror out
    set border 11
#@endif
    plot \
#@if SLO
        @SLO@ with lines dt 2 lw 1.5 lc rgb c_limit \
            title 'SLO (p95 <= @SLO@ ms)', \
#@endif
#@if LATENCY
        timeline using (column("time_s") / tscale):(v("latency_p95_ms")) \
            with lines lw 2 lc rgb c_latency title 'latency p95', \
#@endif
#@if DROPPED
        timeline using (column("time_s") / tscale):(v("dropped_rps")) \
            axes x1y2 with steps lw 2 lc rgb c_dropped \
            title 'dropped (right axis)', \
#@endif
#@endplot
    unset y2label
    unset y2tics
    set border 3
