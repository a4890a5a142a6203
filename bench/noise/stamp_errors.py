#!/usr/bin/env python3
"""Sets wiretimed's samples against the kernel's capture stamps of the same frames.

Usage: stamp_errors.py MEASUREMENTS.log SERVER.pcap CLIENT.pcap [SKIP]

SERVER.pcap is captured on the server's veth, CLIENT.pcap on wiretimed's (both classic pcap,
UDP port 123). For each accepted sample the script rebuilds wiretimed's T1 and T4 from the
logged offset and delay and the reply's T2/T3 (for an interleaved sample: the previous reply's
T2 and this reply's T3), takes them back to the host clock with the logged test error, and
prints the mean, median and spread of:
  t1_early  server capture of the request - T1  (the request's path after T1, veth included)
  t3_early  server capture of the reply - T3     (how early the server's T3 was)
  veth_back client capture of the reply - server capture of it
  t4_late   T4 - client capture of the reply
and the bias they predict, (t1_early - t3_early - veth_back - t4_late) / 2. The first SKIP
samples (default 10) are left out: the clock still converges then, and an interleaved sample is
taken back to the host clock with the test error logged a poll later, when the clock may be
slewing at 500 ppm.
"""
import datetime as dt
import statistics
import struct
import sys

NTP_UNIX = 2208988800


def read_pcap(path):
    frames = []
    with open(path, 'rb') as f:
        header = f.read(24)
        nano = struct.unpack('<I', header[:4])[0] == 0xa1b23c4d
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            sec, frac, incl, _ = struct.unpack('<IIII', rec)
            data = f.read(incl)
            t = sec + frac * (1e-9 if nano else 1e-6)
            kind, off = struct.unpack('!H', data[12:14])[0], 14
            if kind == 0x8100:
                kind, off = struct.unpack('!H', data[16:18])[0], 18
            if kind == 0x0800:
                udp = off + (data[off] & 15) * 4
            elif kind == 0x86dd:
                udp = off + 40
            else:
                continue
            ntp = data[udp + 8:]
            if len(ntp) < 48:
                continue

            def stamp(at):
                s, fr = struct.unpack('!II', ntp[at:at + 8])
                return s - NTP_UNIX + fr / 2**32 if s else 0.0

            frames.append({'t': t, 'mode': ntp[0] & 7, 'org': ntp[24:32], 'rec_raw': ntp[32:40],
                           'xmt_raw': ntp[40:48], 'rec': stamp(32), 'xmt': stamp(40)})
    return frames


def log_time(date, clock):
    whole, frac = clock.split('.')
    t = dt.datetime.strptime(date + ' ' + whole, '%Y-%m-%d %H:%M:%S')
    return t.replace(tzinfo=dt.timezone.utc).timestamp() + float('0.' + frac)


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    skip = int(sys.argv[4]) if len(sys.argv) == 5 else 10
    server = read_pcap(sys.argv[2])
    client = read_pcap(sys.argv[3])
    requests = [f for f in server if f['mode'] == 3]
    replies = [f for f in server if f['mode'] == 4]
    client_replies = {f['xmt_raw']: f for f in client if f['mode'] == 4}
    rows = []
    interleaved = 0
    for line in open(sys.argv[1]):
        if line.startswith('#'):
            continue
        f = line.split()
        if len(f) < 12 or f[6] != 'ok' or f[11] == '-':
            continue
        offset, delay, error = float(f[7]), float(f[8]), float(f[11]) * 1e-9
        t4_host = log_time(f[0], f[1]) - error
        i = min(range(len(replies)), key=lambda k: abs(replies[k]['t'] - t4_host))
        reply = replies[i]
        request = max((r for r in requests if r['t'] <= reply['t']), key=lambda r: r['t'],
                      default=None)
        if request is None or abs(reply['t'] - t4_host) > 0.05:
            continue
        exchange_reply, t3 = reply, reply['xmt']
        if reply['org'] == request['rec_raw'] and reply['org'] != request['xmt_raw']:
            if i == 0:
                continue
            interleaved += 1
            exchange_reply = replies[i - 1]  # the sample is the previous exchange
        exchange_request = max((r for r in requests if r['t'] <= exchange_reply['t']),
                               key=lambda r: r['t'])
        t2 = exchange_reply['rec']
        seen = client_replies.get(exchange_reply['xmt_raw'])
        if seen is None:
            continue
        t1 = t2 - delay / 2 - offset - error
        t4 = t3 + delay / 2 - offset - error
        rows.append({'t1_early': exchange_request['t'] - t1, 't3_early': exchange_reply['t'] - t3,
                     'veth_back': seen['t'] - exchange_reply['t'], 't4_late': t4 - seen['t'],
                     'delay': delay, 'error': error})
    rows = rows[skip:]
    if not rows:
        sys.exit('no samples matched the captures')
    print(f'{len(rows)} samples ({interleaved} interleaved); microseconds')
    print(f'{"":10} {"mean":>8} {"median":>8} {"stdev":>8} {"min":>8} {"max":>8}')
    for key in ['t1_early', 't3_early', 'veth_back', 't4_late', 'delay', 'error']:
        v = [r[key] * 1e6 for r in rows]
        print(f'{key:10} {statistics.mean(v):8.2f} {statistics.median(v):8.2f} '
              f'{statistics.pstdev(v):8.2f} {min(v):8.2f} {max(v):8.2f}')
    bias = [(r['t1_early'] - r['t3_early'] - r['veth_back'] - r['t4_late']) / 2 * 1e6 for r in rows]
    print(f'predicted bias of the offset: {statistics.mean(bias):.2f} us (median '
          f'{statistics.median(bias):.2f})')


if __name__ == '__main__':
    main()
