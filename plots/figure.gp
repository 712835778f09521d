
# == @WL_COMMENT@ ==
wl = @WL@  # the workload's name in timeline.csv
out = @OUT@  # output files, without extension
npanels = @NPANELS@
# The value of column c in this workload's rows, NaN in the others.
v(c) = strcol("workload") eq wl ? column(c) : NaN

do for [fmt in 'png svg'] {
    if (fmt eq 'png') {
        set terminal pngcairo size width, height noenhanced font 'sans,11'
    } else {
        set terminal svg size width, height dynamic noenhanced \
            font 'sans,11' background '#ffffff'
    }
    set output out . '.' . fmt
    set multiplot title @TITLE@ font ',15'
    panel = 0
    set lmargin at screen plot_left
    set rmargin at screen plot_right
    set xrange [tmin / tscale : tmax / tscale]
    set xtics nomirror out
    set mxtics
    set grid xtics ytics lc rgb '#e0e0e0' lt 1
    set border 3 lc rgb '#404040'
    # Keys sit above their panels, in one row, samples first.
    set key horizontal maxrows 1 left bottom reverse Left samplen 3 \
        noautotitle
