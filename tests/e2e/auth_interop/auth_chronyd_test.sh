#!/usr/bin/env bash
# Interop: control/auth against a real chronyd 4.x server (-x, in a network namespace, with a
# key file for MD5, SHA1, SHA256, AES128, plus SHA512 and AES256). auth_probe sends requests
# signed by control/auth over a UDP socket from a second namespace and verifies the replies.
#   1. right key: chronyd answers with a MAC under the same key id, of the length chronyd's
#      NTPv4 truncation gives (MD5 16, SHA1/SHA256/SHA512 20, AES 16), and it verifies.
#   2. NTPv3 request with SHA256: chronyd answers with the untruncated 32-byte digest.
#   3. right request, reply checked with a wrong secret under the same id: bad MAC.
#   4. request signed with a wrong secret, or an unknown key id: chronyd does not answer (or
#      answers with a crypto-NAK); either way nothing verifies.
#   5. unauthenticated request: the reply has no MAC, verdict "MAC missing".
# Exit 77 (skip) without root, `ip netns` or chronyd. Everything is torn down on any exit.
set -euo pipefail
probe=${1:?usage: $0 PATH/TO/auth_probe}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"

fail() { echo "FAIL: $*"; exit 1; }
wt_lab_setup "a$$"
[ -x "$probe" ] || fail "$probe is not executable"
# The probe uses a kernel socket: the client end gets a kernel address here.
wt_lab_kernel_address

cat >"$WT_DIR/chrony.keys" <<KEYS
# shared with chronyd
1 MD5 ASCII:wiretime-md5-key
2 SHA1 HEX:933F62BE1D604E68A81B557F18CFA200483F5B70
3 SHA256 HEX:6C0D6E0A9B2F3E4D5C6B7A8998A7B6C5D4E3F2011F2E3D4C5B6A798897A6B5C4
4 AES128 HEX:7EA62AE64D190114D46D5A082F948EC1
5 SHA512 ASCII:a-longer-sha512-secret
6 AES256 HEX:37DDCBC67BB902BCB8E995977FAB4D2B5642F5B32EBCEEE421921D97E5CBFE39
KEYS
# Same ids, every secret different in its last byte/character; and a key chronyd lacks.
cat >"$WT_DIR/wrong.keys" <<KEYS
1 MD5 ASCII:wiretime-md5-kez
2 SHA1 HEX:933F62BE1D604E68A81B557F18CFA200483F5B71
3 SHA256 HEX:6C0D6E0A9B2F3E4D5C6B7A8998A7B6C5D4E3F2011F2E3D4C5B6A798897A6B5C5
4 AES128 HEX:7EA62AE64D190114D46D5A082F948EC2
5 SHA512 ASCII:a-longer-sha512-secreu
6 AES256 HEX:37DDCBC67BB902BCB8E995977FAB4D2B5642F5B32EBCEEE421921D97E5CBFE3A
77 SHA1 HEX:0102030405060708090A0B0C0D0E0F1011121314
KEYS
chmod 600 "$WT_DIR"/*.keys

wt_lab_chronyd chronyd "$WT_SERVER_IP" keyfile="$WT_DIR/chrony.keys" || fail "chronyd did not start"

# probe SIGN_KEYS VERIFY_KEYS KEY_ID VERSION: one result line
probe() {
  ip netns exec "$WT_NS_CLI" "$probe" "$WT_SERVER_IP" 123 "$1" "$2" "$3" "$4" 1000
}
good=$WT_DIR/chrony.keys
wrong=$WT_DIR/wrong.keys
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

echo "== 1. right key, NTPv4"
for spec in 1:16 2:20 3:20 4:16 5:20 6:16; do
  id=${spec%%:*} want=${spec#*:}
  line=$(probe "$good" "$good" "$id" 4); echo "   $line"
  [ "$(field "$line" reply)" = yes ] || fail "key $id: no reply from chronyd"
  [ "$(field "$line" mac_key)" = "$id" ] || fail "key $id: reply MAC has another key id"
  [ "$(field "$line" digest)" = "$want" ] || fail "key $id: digest length (want $want)"
  [ "$(field "$line" verdict)" = ok ] || fail "key $id: reply does not verify"
done

echo "== 2. SHA256 in NTPv3: untruncated digest"
line=$(probe "$good" "$good" 3 3); echo "   $line"
[ "$(field "$line" digest)" = 32 ] && [ "$(field "$line" verdict)" = ok ] ||
  fail "NTPv3 SHA256 reply"

echo "== 3. reply checked with a wrong secret"
for id in 1 2 3 4 5 6; do
  line=$(probe "$good" "$wrong" "$id" 4); echo "   $line"
  [ "$(field "$line" reply)" = yes ] || fail "key $id: no reply"
  [ "$(field "$line" verdict)" = bad-MAC ] || fail "key $id: wrong secret not detected"
done

echo "== 4. request with a wrong secret or an unknown key"
for id in 1 2 3 4 5 6 77; do
  line=$(probe "$wrong" "$wrong" "$id" 4); echo "   $line"
  case "$(field "$line" verdict)" in
    none | crypto-NAK) ;;
    *) fail "key $id: chronyd's answer to a bad request verified or was unexpected" ;;
  esac
done

echo "== 5. unauthenticated request"
line=$(probe "$good" "$good" 0 4); echo "   $line"
[ "$(field "$line" reply)" = yes ] && [ "$(field "$line" verdict)" = MAC-missing ] ||
  fail "unauthenticated exchange"

echo "== 6. clean-up"
tag_dir=$WT_DIR
wt_lab_cleanup
trap - EXIT
left=$(WT_DIR=$tag_dir wt_lab_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"
