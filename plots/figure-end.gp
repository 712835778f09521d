    unset multiplot
    set output
}
