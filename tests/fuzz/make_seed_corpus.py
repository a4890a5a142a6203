#!/usr/bin/env python3
"""Writes the fuzz seed corpus: every frame of every .pcap in the test-data folder, and the
NTS packets of ntpd-rs-nts-exchange.txt, each prefixed with the options byte that
fuzz_frame_decoder reads (link type in bits 0-1, 3 = NTP payload only). Run at test time, so
no binary seeds live in the repository. Without the folder, a few built-in seeds are used."""

import os
import shutil
import struct
import sys

LINK = {1: 0x10, 0: 0x11, 101: 0x12}  # DLT_EN10MB, DLT_NULL, DLT_RAW; GRE decapsulation on
NTP_ONLY = 0x03


def pcap_frames(path):
    data = open(path, "rb").read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    link = struct.unpack(endian + "I", data[20:24])[0]
    offset = 24
    while offset + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
        offset += 16
        yield link, data[offset:offset + incl]
        offset += incl


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    seeds = [bytes([NTP_ONLY]) + bytes([0x23]) + bytes(47)]  # minimal client request
    if os.path.isdir(data_dir):
        for name in sorted(os.listdir(data_dir)):
            path = os.path.join(data_dir, name)
            if name.endswith(".pcap"):
                for link, frame in pcap_frames(path):
                    if link in LINK:
                        seeds.append(bytes([LINK[link]]) + frame)
            elif name.endswith(".txt"):
                for line in open(path):
                    if line.startswith(("request_hex:", "response_hex:")):
                        seeds.append(bytes([NTP_ONLY]) + bytes.fromhex(line.split(":")[1].strip()))
    for i, seed in enumerate(seeds):
        with open(os.path.join(out_dir, f"seed-{i:04d}"), "wb") as f:
            f.write(seed)
    print(f"{len(seeds)} seeds written to {out_dir}")


if __name__ == "__main__":
    main()
