#!/usr/bin/env python3
"""Checks two successive reads of a live wiretimed's monitoring output.

  check_telemetry.py telemetry --server IP FIRST.json SECOND.json
      dpdk-telemetry.py output (one JSON object per command): every /wiretime command
      answered, the clock synchronised to IP, the association present and polled, counters
      growing between the reads.
  check_telemetry.py prometheus --server IP --backend B --interface NAME FIRST.prom SECOND.prom
      node_exporter textfiles parsed with prometheus_client: exactly the documented families
      with their types, values consistent with a synchronised clock, counters growing.
Exit status 1 with every failure listed."""
import argparse
import json
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def load_telemetry(path):
    """Replies by command; the reply to a command with a parameter (`cmd,param`) is keyed by
    the bare command, so it is kept apart as the last line's ('param' key)."""
    replies, lines = {}, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith('{'):
                lines.append(json.loads(line))
    for reply in lines[:-1]:
        replies.update(reply)
    if lines:
        replies['param'] = lines[-1]
    return replies


def telemetry(args):
    a, b = load_telemetry(args.first), load_telemetry(args.second)
    for cmd in ('/wiretime/clock', '/wiretime/associations', '/wiretime/interfaces',
                '/wiretime/drops', '/wiretime/rings', '/wiretime/lcore'):
        check(isinstance(b.get(cmd), dict), f'{cmd}: no dict in the reply ({b.get(cmd)!r})')
    if failures:
        return
    clock = b['/wiretime/clock']
    check(clock.get('synchronized') == 1, f'clock not synchronised: {clock}')
    check(clock.get('sync_state') == 'SYNC', f'sync_state {clock.get("sync_state")}')
    check(clock.get('stratum') == 2, f'stratum {clock.get("stratum")} (chronyd is stratum 1)')
    check(clock.get('reference') == args.server, f'reference {clock.get("reference")}')
    check(abs(float(clock['offset_s'])) < 1e-3, f'offset_s {clock["offset_s"]}')
    check(float(clock['root_delay_s']) > 0, f'root_delay_s {clock["root_delay_s"]}')
    check(clock['updates'] > a['/wiretime/clock']['updates'],
          f'clock updates did not grow: {a["/wiretime/clock"]["updates"]} -> {clock["updates"]}')
    check(float(clock['snapshot_unix_s']) - float(clock['last_update_unix_s']) < 10,
          f'last update {clock["last_update_unix_s"]} is old at {clock["snapshot_unix_s"]}')

    assocs = b['/wiretime/associations']
    check(len(assocs) == 1, f'{len(assocs)} associations: {assocs}')
    for aid, s in assocs.items():
        check(s['address'].startswith(args.server), f'association {aid} address {s["address"]}')
        check(s['state'] == 'system peer', f'association state {s["state"]}')
        check(s['reach'] > 0, f'reach {s["reach"]}')
        check(s['sent'] > a['/wiretime/associations'][aid]['sent'], 'association sent did not grow')
        check(abs(float(s['offset_s'])) < 1e-3 and float(s['delay_s']) > 0,
              f'offset/delay {s["offset_s"]} {s["delay_s"]}')
        check(float(s['poll_s']) >= 1, f'poll_s {s["poll_s"]}')
        check(float(s['jitter_s']) >= 0, f'jitter_s {s["jitter_s"]}')
    one = b.get('param', {}).get('/wiretime/associations', {})
    check(list(one.keys()) == ['1'], f'/wiretime/associations,1 gave {list(one.keys())}')

    itf, itf0 = b['/wiretime/interfaces'].get('0', {}), a['/wiretime/interfaces'].get('0', {})
    check(itf.get('name') == 'GE1/0/1', f'interface 0: {itf}')
    for key in ('rx_frames', 'ntp_tx', 'ntp_rx'):
        check(itf.get(key, 0) > itf0.get(key, 0), f'interface {key} did not grow: {itf0} -> {itf}')
    check(itf.get('ring_size', 0) > 0, f'ring_size {itf.get("ring_size")}')

    drops, drops0 = b['/wiretime/drops'], a['/wiretime/drops']
    check(drops['rx_frames'] > drops0['rx_frames'], 'rx_frames did not grow')
    check(drops['tx_frames'] > drops0['tx_frames'], 'tx_frames did not grow')
    for reason in ('not_for_us', 'event_ring_full', 'tx_no_route'):
        check(reason in drops, f'drop reason {reason} missing: {sorted(drops)}')

    rings = b['/wiretime/rings']
    check(rings.get('command', {}).get('size', 0) > 0, f'command ring {rings.get("command")}')
    check(rings.get('events_0', {}).get('interface') == 'GE1/0/1', f'event ring {rings}')

    lc, lc0 = b['/wiretime/lcore'], a['/wiretime/lcore']
    check(lc['cycles'] > lc0['cycles'] and lc['passes'] > lc0['passes'], 'lcore counters stuck')
    check(lc['busy_cycles'] > lc0['busy_cycles'], 'lcore busy cycles stuck')
    check(lc['busy_cycles'] <= lc['cycles'], f'busy {lc["busy_cycles"]} > total {lc["cycles"]}')
    ratio = float(lc['busy_ratio'])
    check(0 < ratio < 1, f'busy_ratio {ratio}')
    check(0 <= float(lc['busy_ratio_1s']) <= 1, f'busy_ratio_1s {lc["busy_ratio_1s"]}')
    print(f'   telemetry: offset {clock["offset_s"]} s, reach {s["reach"]}, '
          f'ntp_tx {itf0.get("ntp_tx")} -> {itf.get("ntp_tx")}, lcore busy ratio {ratio:.4f}')


# The documented families (docs/operations.md, Telemetry) and their types; the socket backend
# has no dataplane families.
FAMILIES = {
    'wiretime_build_info': 'gauge', 'wiretime_start_time_seconds': 'gauge',
    'wiretime_metrics_time_seconds': 'gauge', 'wiretime_clock_synchronized': 'gauge',
    'wiretime_clock_stratum': 'gauge', 'wiretime_clock_reference_info': 'gauge',
    'wiretime_clock_state_info': 'gauge', 'wiretime_clock_offset_seconds': 'gauge',
    'wiretime_clock_frequency_ratio': 'gauge', 'wiretime_clock_jitter_seconds': 'gauge',
    'wiretime_clock_wander_ratio': 'gauge', 'wiretime_root_delay_seconds': 'gauge',
    'wiretime_root_dispersion_seconds': 'gauge',
    'wiretime_clock_last_update_timestamp_seconds': 'gauge',
    'wiretime_clock_poll_interval_seconds': 'gauge', 'wiretime_clock_leap_indicator': 'gauge',
    'wiretime_clock_updates': 'counter', 'wiretime_clock_steps': 'counter',
    'wiretime_server_state_info': 'gauge', 'wiretime_server_offset_seconds': 'gauge',
    'wiretime_server_delay_seconds': 'gauge', 'wiretime_server_dispersion_seconds': 'gauge',
    'wiretime_server_jitter_seconds': 'gauge', 'wiretime_server_root_delay_seconds': 'gauge',
    'wiretime_server_root_dispersion_seconds': 'gauge',
    'wiretime_server_poll_interval_seconds': 'gauge', 'wiretime_server_reach': 'gauge',
    'wiretime_server_stratum': 'gauge', 'wiretime_server_last_sample_age_seconds': 'gauge',
    'wiretime_server_packets': 'counter', 'wiretime_ntp_packets': 'counter',
}
DATAPLANE_FAMILIES = {
    'wiretime_dataplane_frames': 'counter', 'wiretime_dataplane_drops': 'counter',
    'wiretime_dataplane_ring_used': 'gauge', 'wiretime_dataplane_ring_size': 'gauge',
    'wiretime_dataplane_lcore_busy_seconds': 'counter', 'wiretime_dataplane_lcore_seconds': 'counter',
    'wiretime_dataplane_lcore_busy_ratio': 'gauge',
}


def parse_prom(path):
    from prometheus_client.parser import text_string_to_metric_families
    with open(path) as f:
        text = f.read()
    families = {}
    for fam in text_string_to_metric_families(text):
        families[fam.name] = fam
    return families


def value(families, name, **labels):
    fam = families.get(name)
    if fam is None:
        return None
    for s in fam.samples:
        if s.name in (name, name + '_total') and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return None


def prometheus(args):
    try:
        a, b = parse_prom(args.first), parse_prom(args.second)
    except Exception as e:  # the parser's own message says what is malformed
        check(False, f'textfile does not parse: {e}')
        return
    expected = dict(FAMILIES)
    if args.backend == 'dpdk':
        expected.update(DATAPLANE_FAMILIES)
    for name, kind in expected.items():
        fam = b.get(name)
        if check(fam is not None, f'family {name} missing'):
            check(fam.type == kind, f'{name}: type {fam.type}, expected {kind}')
            check(bool(fam.documentation), f'{name}: no HELP')
    for name in b:
        check(name in expected, f'undocumented family {name}')
    if failures:
        return
    check(value(b, 'wiretime_build_info', backend=args.backend) == 1, 'build_info backend label')
    check(value(b, 'wiretime_clock_synchronized') == 1, 'not synchronised')
    check(value(b, 'wiretime_clock_stratum') == 2, f'stratum {value(b, "wiretime_clock_stratum")}')
    check(value(b, 'wiretime_clock_reference_info', reference=args.server) == 1, 'reference label')
    check(value(b, 'wiretime_clock_state_info', state='SYNC') == 1, 'state label')
    off = value(b, 'wiretime_clock_offset_seconds')
    check(off is not None and abs(off) < 1e-3, f'offset {off} s (seconds, not another unit)')
    freq = value(b, 'wiretime_clock_frequency_ratio')
    check(freq is not None and abs(freq) < 1e-3, f'frequency {freq} (a ratio, not ppm)')
    rd = value(b, 'wiretime_root_delay_seconds')
    check(rd is not None and 0 < rd < 0.1, f'root delay {rd} s')
    t1, t2 = value(a, 'wiretime_metrics_time_seconds'), value(b, 'wiretime_metrics_time_seconds')
    check(t2 > t1, f'metrics time did not advance: {t1} -> {t2} (file not rewritten)')
    last = value(b, 'wiretime_clock_last_update_timestamp_seconds')
    check(0 < t2 - last < 10, f'last update {last} is {t2 - last} s old')
    server = [s.labels['server'] for s in b['wiretime_server_offset_seconds'].samples]
    check(len(server) == 1 and server[0].startswith(args.server), f'server labels {server}')
    if server:
        srv = server[0]
        check(value(b, 'wiretime_server_state_info', server=srv, state='system peer') == 1,
              'server state')
        check(value(b, 'wiretime_server_reach', server=srv) > 0, 'reach 0')
        so = value(b, 'wiretime_server_offset_seconds', server=srv)
        check(abs(so) < 1e-3, f'server offset {so} s')
        check(0 < value(b, 'wiretime_server_delay_seconds', server=srv) < 0.1, 'server delay')
        check(value(b, 'wiretime_server_poll_interval_seconds', server=srv) >= 1, 'server poll')
        s1 = value(a, 'wiretime_server_packets', server=srv, result='sent')
        s2 = value(b, 'wiretime_server_packets', server=srv, result='sent')
        check(s2 > s1, f'server sent did not grow: {s1} -> {s2}')
    for direction, result in (('tx', 'sent'), ('rx', 'received')):
        p1 = value(a, 'wiretime_ntp_packets', direction=direction, result=result,
                   interface=args.interface)
        p2 = value(b, 'wiretime_ntp_packets', direction=direction, result=result,
                   interface=args.interface)
        check(p1 is not None and p2 is not None and p2 > p1,
              f'ntp_packets_total{{{direction},{result},{args.interface}}}: {p1} -> {p2}')
    if args.backend == 'dpdk':
        f1 = value(a, 'wiretime_dataplane_frames', direction='rx')
        f2 = value(b, 'wiretime_dataplane_frames', direction='rx')
        check(f2 > f1, f'dataplane rx frames {f1} -> {f2}')
        busy = value(b, 'wiretime_dataplane_lcore_busy_seconds')
        total = value(b, 'wiretime_dataplane_lcore_seconds')
        check(0 < busy < total, f'lcore busy {busy} s of {total} s')
        check(value(b, 'wiretime_dataplane_ring_size', ring='command') > 0, 'command ring size')
    print(f'   prometheus ({args.backend}): {len(b)} families, offset {off} s, '
          f'frequency {freq}, root delay {rd} s')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('kind', choices=('telemetry', 'prometheus'))
    p.add_argument('--server', required=True)
    p.add_argument('--backend', default='dpdk')
    p.add_argument('--interface', default='GE1/0/1')
    p.add_argument('first')
    p.add_argument('second')
    args = p.parse_args()
    (telemetry if args.kind == 'telemetry' else prometheus)(args)
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
