
    # -- Requests per pod against the VPA's target (CPU left, memory right),
    # and OOM kills ----------------------------------------------------------
    panel = panel + 1
    set tmargin at screen panel_top(panel, npanels)
    set bmargin at screen panel_bottom(panel, npanels)
    set key at screen plot_left, panel_top(panel, npanels) + 6.0 / height
    set xlabel (panel == npanels ? tlabel : '')  # on the bottom panel only
#@if VPA_CPU
    set ylabel 'CPU per pod (millicores)'
    set yrange [0 : @VPA_CPU_YMAX@]
#@if VPA_MEM
    set y2label 'memory per pod (MiB)'
    set y2range [0 : @VPA_MEM_YMAX@]
    set y2tics autofreq nomirror out
    set border 11
#@endif
#@else
    set ylabel 'memory per pod (MiB)'
    set yrange [0 : @VPA_MEM_YMAX@]
#@endif
    set ytics autofreq nomirror out
#@if OOM
    # oom_kills counts up: a red line wherever it grew since the last sample.
    oom_seen = @OOM_FROM@  # the count at the first sample
    oom_grew(n) = n > oom_seen ? (oom_seen = n, @OOM_TOP@) : NaN
#@endif
    plot \
#@if OOM
        timeline using (column("time_s") / tscale):(oom_grew(v("oom_kills"))) \
            with impulses lw 1.5 lc rgb c_oom title 'OOM kills (@OOM_TOTAL@)', \
#@endif
#@if CPU_REQUEST
        timeline using (column("time_s") / tscale):(v("pod_cpu_request_m")) \
            with steps lw 2 lc rgb c_cpu_request title 'CPU request (m)', \
#@endif
#@if VPA_CPU
        timeline using (column("time_s") / tscale):(v("vpa_cpu_target_m")) \
            with steps lw 2 dt 2 lc rgb c_cpu_request title 'VPA CPU target', \
#@endif
#@if MEM_REQUEST
        timeline using (column("time_s") / tscale):\
            (v("pod_memory_request_bytes") / 1048576.0) axes @MEM_AXES@ \
            with steps lw 2 lc rgb c_memory_request \
            title 'memory request (MiB)', \
#@endif
#@if VPA_MEM
        timeline using (column("time_s") / tscale):\
            (v("vpa_memory_target_bytes") / 1048576.0) axes @MEM_AXES@ \
            with steps lw 2 dt 2 lc rgb c_memory_request \
            title 'VPA memory target', \
#@endif
#@endplot
    unset y2label
    unset y2tics
    set border 3
