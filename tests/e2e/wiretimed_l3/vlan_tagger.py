#!/usr/bin/env python3
"""A userspace 802.1Q access port, for kernels without VLAN devices (the lab VM has no 8021q,
bridge or tc classifiers): frames tagged VID on TRUNK leave untagged on ACCESS, frames from
ACCESS get the tag on TRUNK. Usage: vlan_tagger.py TRUNK ACCESS VID (runs until SIGTERM)."""
import select
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
AUX = struct.Struct("IIIHHHH")  # struct tpacket_auxdata


def open_raw(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((ifname, 0))
    return s


def receive(s):
    """One frame as on the wire (a tag the kernel moved into metadata is put back), or None for
    frames this host sent."""
    data, ancdata, _, address = s.recvmsg(65535, socket.CMSG_SPACE(AUX.size))
    if address[2] == PACKET_OUTGOING:
        return None
    for level, kind, value in ancdata:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(value) >= AUX.size:
            status, _, _, _, _, tci, tpid = AUX.unpack(value[: AUX.size])
            if status & TP_STATUS_VLAN_VALID:
                tag = struct.pack("!HH", tpid or 0x8100, tci)
                data = data[:12] + tag + data[12:]
    return data


def main():
    trunk_name, access_name, vid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    trunk, access = open_raw(trunk_name), open_raw(access_name)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        ready, _, _ = select.select([trunk, access], [], [])
        for s in ready:
            frame = receive(s)
            if frame is None or len(frame) < 14:
                continue
            if s is trunk:
                tpid, tci = struct.unpack("!HH", frame[12:16])
                if tpid == 0x8100 and (tci & 0x0FFF) == vid:
                    access.send(frame[:12] + frame[16:])
            else:
                trunk.send(frame[:12] + struct.pack("!HH", 0x8100, vid) + frame[12:])


if __name__ == "__main__":
    main()
