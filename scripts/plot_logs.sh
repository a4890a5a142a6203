#!/usr/bin/env bash
# Turns wiretimed's logs into a PNG of offset and frequency over time (gnuplot, Debian package
# gnuplot-nox). Panels: the raw offset of every accepted sample (measurements log) with the
# offset of each clock update (tracking log); the frequency correction; and, when the logs carry
# it, the test instrumentation column (the virtual clock's error against CLOCK_REALTIME).
#   scripts/plot_logs.sh TRACKING_LOG MEASUREMENTS_LOG OUT.png [TITLE]
# Columns: docs/operations.md, "Logs".
set -euo pipefail
tracking=${1:?usage: $0 TRACKING_LOG MEASUREMENTS_LOG OUT.png [TITLE]}
measurements=${2:?usage: $0 TRACKING_LOG MEASUREMENTS_LOG OUT.png [TITLE]}
out=${3:?usage: $0 TRACKING_LOG MEASUREMENTS_LOG OUT.png [TITLE]}
title=${4:-wiretimed}
command -v gnuplot >/dev/null || { echo "$0: gnuplot is not installed (apt-get install gnuplot-nox)" >&2; exit 2; }
for f in "$tracking" "$measurements"; do
  grep -qv '^#' "$f" 2>/dev/null || { echo "$0: $f has no records" >&2; exit 2; }
done
# A test_error_ns panel only when the column holds numbers.
has_error=0
grep -v '^#' "$tracking" | awk '$NF != "-" { found = 1 } END { exit !found }' && has_error=1

gnuplot <<GNUPLOT
set terminal pngcairo noenhanced size 1200,$((has_error ? 1000 : 720)) font ",10"
set output "$out"
set xdata time
set timefmt "%Y-%m-%d %H:%M:%S"
set format x "%H:%M:%S"
set grid
set key top right
set multiplot layout $((has_error ? 3 : 2)),1 title "$title"
set ylabel "offset (us)"
plot "$measurements" using 1:(strcol(7) eq "ok" ? \$8 * 1e6 : 1/0) with points pt 7 ps 0.4 title "sample offset (measurements)", \
     "$tracking" using 1:(\$8 * 1e6) with linespoints pt 6 ps 0.5 title "clock update offset (tracking)"
set ylabel "frequency (ppm)"
plot "$tracking" using 1:9 with steps lw 2 title "frequency correction"
if ($has_error) {
  set ylabel "error vs CLOCK_REALTIME (us)"
  plot "$measurements" using 1:(strcol(12) eq "-" ? 1/0 : \$12 * 1e-3) with points pt 7 ps 0.4 title "at each sample (test instrumentation)", \
       "$tracking" using 1:(strcol(16) eq "-" ? 1/0 : \$16 * 1e-3) with lines title "at each update"
}
unset multiplot
GNUPLOT
echo "$out"
