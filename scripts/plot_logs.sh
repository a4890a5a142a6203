#!/usr/bin/env bash
# Turns wiretimed's logs into one PNG (gnuplot, Debian package gnuplot-nox), one panel each:
#   offset     every accepted sample's offset (measurements log) and each clock update's
#   frequency  the frequency correction after each update (tracking log)
#   delay      every accepted sample's round-trip delay (measurements log)
#   error      only when the logs carry it: the test instrumentation column (the virtual clock's
#              error against CLOCK_REALTIME, e2e lab and demo), as |error| on a log scale, with
#              the error bound when the tracking log has an error-bound column
# Columns are found by their names in the logs' `#` header (docs/operations.md, "Logs"), so a
# column added later moves nothing; an error-bound column (a name starting with `error_bound`
# or `max_error`, unit from its suffix _s/_us/_ns) is drawn when present: a band around the
# update offsets, a line above |error|.
#   scripts/plot_logs.sh TRACKING_LOG MEASUREMENTS_LOG OUT.png [TITLE]
set -euo pipefail
usage="usage: $0 TRACKING_LOG MEASUREMENTS_LOG OUT.png [TITLE]"
tracking=${1:?$usage}
measurements=${2:?$usage}
out=${3:?$usage}
title=${4:-wiretimed}
command -v gnuplot >/dev/null || { echo "$0: gnuplot is not installed (apt-get install gnuplot-nox)" >&2; exit 2; }
for f in "$tracking" "$measurements"; do
  [ -r "$f" ] || { echo "$0: cannot read $f" >&2; exit 2; }
  grep -qv '^#' "$f" || { echo "$0: $f has no records" >&2; exit 2; }
done

# column FILE REGEX: the 1-based number of the first header column whose name matches REGEX
# (the header line is `# date time(UTC) ...`), empty when none does.
column() {
  awk -v re="$2" '/^#/ && $2 == "date" { for (i = 2; i <= NF; i++) if ($i ~ re) { print i - 1; exit } }' "$1"
}
need() {
  local c
  c=$(column "$1" "$2")
  [ -n "$c" ] || { echo "$0: $1 has no column '$2' in its header" >&2; exit 2; }
  echo "$c"
}
m_reason=$(need "$measurements" '^reason$')
m_offset=$(need "$measurements" '^offset_s$')
m_delay=$(need "$measurements" '^delay_s$')
m_error=$(column "$measurements" '^test_error_ns$')
t_offset=$(need "$tracking" '^offset_s$')
t_freq=$(need "$tracking" '^freq_ppm$')
t_error=$(column "$tracking" '^test_error_ns$')
t_bound=$(column "$tracking" '^(error_bound|max_error)')
bound_scale=1e6   # to microseconds
if [ -n "$t_bound" ]; then
  name=$(awk -v c="$t_bound" '/^#/ && $2 == "date" { print $(c + 1); exit }' "$tracking")
  case $name in *_ns) bound_scale=1e-3 ;; *_us) bound_scale=1 ;; esac
fi

# The error panel only when a test-error column holds numbers.
has_error=0
if [ -n "$t_error" ] && grep -v '^#' "$tracking" | awk -v c="$t_error" '$c != "-" && $c != "" { f = 1 } END { exit !f }'; then
  has_error=1
fi
panels=$((3 + has_error))

{
  cat <<GNUPLOT
set terminal pngcairo noenhanced size 900,$((190 * panels + 60)) font ",9"
set output "$out"
set xdata time
set timefmt "%Y-%m-%d %H:%M:%S"
set format x "%H:%M:%S"
set xlabel "time (UTC)"
set grid
set key top right font ",8"
set lmargin 12
set multiplot layout $panels,1 title "$title"
ok(r) = (strcol($m_reason) eq "ok")
set ylabel "offset (us)"
GNUPLOT
  if [ -n "$t_bound" ]; then
    cat <<GNUPLOT
plot "$tracking" using 1:(\$$t_offset * 1e6 - \$$t_bound * $bound_scale):(\$$t_offset * 1e6 + \$$t_bound * $bound_scale) with filledcurves fc "#d0d8ff" title "offset +- error bound", \\
     "$measurements" using 1:(ok(0) ? \$$m_offset * 1e6 : 1/0) with points pt 7 ps 0.4 title "sample offset (measurements)", \\
     "$tracking" using 1:(\$$t_offset * 1e6) with linespoints pt 6 ps 0.5 title "clock update offset (tracking)"
GNUPLOT
  else
    cat <<GNUPLOT
plot "$measurements" using 1:(ok(0) ? \$$m_offset * 1e6 : 1/0) with points pt 7 ps 0.4 title "sample offset (measurements)", \\
     "$tracking" using 1:(\$$t_offset * 1e6) with linespoints pt 6 ps 0.5 title "clock update offset (tracking)"
GNUPLOT
  fi
  cat <<GNUPLOT
set ylabel "frequency (ppm)"
plot "$tracking" using 1:$t_freq with steps lw 2 title "frequency correction (tracking)"
# Log scales: one slow first exchange (ARP, a server's first reply) would flatten the rest.
set logscale y
set ylabel "delay (us, log scale)"
plot "$measurements" using 1:(ok(0) && \$$m_delay > 0 ? \$$m_delay * 1e6 : 1/0) with points pt 7 ps 0.4 title "round-trip delay (measurements)"
GNUPLOT
  if [ "$has_error" = 1 ]; then
    # |error| on a log scale: the start's milliseconds and the steady microseconds both show.
    echo 'set ylabel "|true error| (us, log scale)"'
    echo 'absus(v) = (abs(v) < 1 ? 1e-3 : abs(v) * 1e-3)'
    plot="plot "
    if [ -n "$t_bound" ]; then
      plot+="\"$tracking\" using 1:(\$$t_bound * $bound_scale) with lines dt 2 lw 2 title \"error bound (tracking)\", "
    fi
    if [ -n "$m_error" ]; then
      plot+="\"$measurements\" using 1:(strcol($m_error) eq \"-\" ? 1/0 : absus(\$$m_error)) with points pt 7 ps 0.4 title \"vs CLOCK_REALTIME at each sample (test instrumentation)\", "
    fi
    plot+="\"$tracking\" using 1:(strcol($t_error) eq \"-\" ? 1/0 : absus(\$$t_error)) with linespoints pt 6 ps 0.5 lw 2 title \"at each clock update\""
    echo "$plot"
  fi
  echo "unset multiplot"
} | gnuplot
echo "$out"
