
    # -- CPU utilization, with the HPA's CPU target ---------------------------
    panel = panel + 1
    set tmargin at screen panel_top(panel, npanels)
    set bmargin at screen panel_bottom(panel, npanels)
    set key at screen plot_left, panel_top(panel, npanels) + 6.0 / height
    set xlabel (panel == npanels ? tlabel : '')  # on the bottom panel only
    set ylabel 'CPU utilization (% of request)'
    set yrange [0 : @CPU_YMAX@]
    set ytics autofreq nomirror out
    plot \
#@if TARGET
        @TARGET@ with lines dt 2 lw 1.5 lc rgb c_limit \
            title 'HPA target (@TARGET@ %)', \
#@endif
        timeline using (column("time_s") / tscale):(v("cpu_utilization_pct")) \
            with lines lw 2 lc rgb c_cpu title 'CPU utilization', \
#@endplot
