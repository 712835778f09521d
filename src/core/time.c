/* time.c - the one place a double becomes a simulated time. */
#include "core/time.h"

#include <math.h>

cs_time_ms cs_time_ms_from_s(double seconds)
{
    double ms;

    if (!(seconds > 0.0))
        return 0;
    ms = floor(seconds * 1000.0 + 0.5);
    if (ms >= 9.0e18)
        return CS_TIME_NEVER - 1;
    return (cs_time_ms)ms;
}
