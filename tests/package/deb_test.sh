#!/usr/bin/env bash
# The Debian package as an operator gets it: `cpack -G DEB` from this build, then
#   - dpkg-deb -c: the binaries, the default configuration, the unit and the docs are where the
#     unit and docs/operations.md say, and nothing of the build (tests, headers) rides along;
#   - dpkg-deb -I: control fields (name, version, architecture, Depends computed from the
#     binaries' libraries: DPDK, yaml-cpp, libsystemd, ...), conffiles, maintainer scripts that
#     parse (sh -n), reload systemd, never enable or start the daemon on install;
#   - the packaged wiretimed accepts the packaged /etc/wiretime/wiretimed.yaml (--check-config);
#   - systemd-analyze verify on the packaged unit, with ExecStart pointed at the extracted
#     binary (verify checks that it exists and is executable): exit 0 and not one warning. A
#     copy with a misspelt key must draw a warning, so the check is known to read the unit;
#   - systemd-analyze security --offline: exposure at most 5.0 (the hardening is in place).
#   deb_test.sh BUILD_DIR VERSION
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR VERSION}
version=${2:?usage: $0 BUILD_DIR VERSION}
fail() { echo "FAIL: $*"; exit 1; }
for tool in cpack dpkg-deb systemd-analyze; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup.sh installs it)"
done

tmp=$(mktemp -d /tmp/wiretime-deb-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(find "$tmp/out" -maxdepth 1 -name '*.deb')
[ -n "$deb" ] && [ "$(echo "$deb" | wc -l)" = 1 ] || fail "expected one .deb in $tmp/out, found: $deb"
echo "ok: built ${deb##*/} ($(du -k "$deb" | cut -f1) KiB) in $((SECONDS - start)) s"

# -- contents
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' >"$tmp/files"
for f in /usr/sbin/wiretimed /usr/sbin/wiretimed-socket /usr/bin/wiretime-cli \
         /usr/bin/wiretime-pcap /usr/bin/wiretime-now /usr/include/wiretime/clock_reader.h \
         /etc/wiretime/wiretimed.yaml /lib/systemd/system/wiretimed.service \
         /usr/share/doc/wiretime/README.md /usr/share/doc/wiretime/operations.md \
         /usr/share/doc/wiretime/examples/wiretimed.yaml; do
  grep -qxF "$f" "$tmp/files" || fail "the package lacks $f"
done
# The one public header set is the shared-memory clock's reader (/usr/include/wiretime).
if grep -v '^/usr/include/wiretime' "$tmp/files" |
  grep -E '/include/|/lib/cmake/|_test$|/libgtest|/libgmock|/libbenchmark|/tests?/'; then
  fail "build or test files in the package (above)"
fi
dpkg-deb -c "$deb" | awk '$6 ~ /wiretimed$|wiretime-cli$|wiretime-pcap$/ && $1 !~ /^-rwxr-xr-x/ {
  print; bad = 1 } END { exit bad }' || fail "a binary is not mode 755"
echo "ok: contents ($(wc -l <"$tmp/files") entries)"

# -- control
dpkg-deb -I "$deb" >"$tmp/info"
field() { sed -n "s/^ $1: //p" "$tmp/info"; }
[ "$(field Package)" = wiretime ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), expected $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture: $(field Architecture)"
depends=$(field Depends)
for lib in librte-eal librte-ethdev libyaml-cpp libsystemd0 libssl libedit libpcap libc6; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
[[ "$(field Recommends)" == *dpdk* ]] || fail "Recommends lacks dpdk"
# CPack joins a CMake list with ';': a description given as list items shows up as ';' lines.
sed -n '/^ Description:/,/^ [A-Z][a-z-]*:/p' "$tmp/info" | grep -q '^  ;' && fail "Description has a line starting with ';'"
mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
[ "$(cat "$tmp/control/conffiles")" = /etc/wiretime/wiretimed.yaml ] ||
  fail "conffiles: $(cat "$tmp/control/conffiles")"
for s in postinst prerm postrm; do
  [ -x "$tmp/control/$s" ] || fail "no executable $s"
  sh -n "$tmp/control/$s" || fail "$s does not parse"
done
grep -q 'systemctl daemon-reload' "$tmp/control/postinst" || fail "postinst does not reload systemd"
grep -q 'try-restart wiretimed' "$tmp/control/postinst" || fail "postinst does not restart on upgrade"
if grep -Eq 'systemctl +(enable|start)|deb-systemd-invoke +start' "$tmp/control/postinst"; then
  fail "postinst enables or starts the daemon (a router's NIC and YAML come first)"
fi
grep -q 'systemctl stop wiretimed' "$tmp/control/prerm" || fail "prerm does not stop the daemon"
echo "ok: control fields, Depends: $depends"

# -- the packaged binary and configuration
dpkg-deb -x "$deb" "$tmp/root"
"$tmp/root/usr/sbin/wiretimed" --check-config --config "$tmp/root/etc/wiretime/wiretimed.yaml" ||
  fail "the packaged wiretimed rejects the packaged configuration"
echo "ok: the packaged configuration passes --check-config"

# -- the unit
unit=$tmp/root/lib/systemd/system/wiretimed.service
grep -qx 'ExecStart=/usr/sbin/wiretimed --config /etc/wiretime/wiretimed.yaml --mgmt-socket /run/wiretime/wiretimed.sock' \
  "$unit" || fail "ExecStart is not the packaged binary with the default paths: $(grep ExecStart= "$unit")"
grep -qx 'Type=notify' "$unit" || fail "the unit is not Type=notify"
mkdir "$tmp/unit" "$tmp/bad"
sed "s|/usr/sbin/wiretimed|$tmp/root/usr/sbin/wiretimed|g" "$unit" >"$tmp/unit/wiretimed.service"
status=0
systemd-analyze verify "$tmp/unit/wiretimed.service" >"$tmp/verify.log" 2>&1 || status=$?
cat "$tmp/verify.log"
[ "$status" = 0 ] && [ ! -s "$tmp/verify.log" ] || fail "systemd-analyze verify: status $status, output above"
sed 's/^ProtectSystem=/ProtectSystm=/' "$tmp/unit/wiretimed.service" >"$tmp/bad/wiretimed.service"
systemd-analyze verify "$tmp/bad/wiretimed.service" 2>&1 | grep -q "Unknown key 'ProtectSystm'" ||
  fail "systemd-analyze verify did not flag a misspelt key: the check above proves nothing"
echo "ok: systemd-analyze verify passes without a warning"
exposure=$(systemd-analyze security --offline=yes "$tmp/unit/wiretimed.service" 2>&1 |
  sed -n 's/.*Overall exposure level for wiretimed.service: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || fail "systemd-analyze security gave no exposure level"
awk -v e="$exposure" 'BEGIN { exit !(e <= 5.0) }' || fail "exposure $exposure > 5.0: hardening lost?"
echo "ok: systemd-analyze security exposure $exposure"
echo "PASS ($((SECONDS - start)) s)"
