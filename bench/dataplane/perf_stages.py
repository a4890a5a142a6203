#!/usr/bin/env python3
# Groups the symbols of `perf report --no-children --sort dso,sym --stdio` (read from the file
# given) into the stages of the lcore's request path, for docs/benchmarks.md ("Where the ns of an
# IPv4 request go"). Every symbol lands in one group; the rest is printed as "other".
import re, sys
groups = [
 ("far end (benchmark: alloc, copy in, free)", ["Bench::inject","rte_pktmbuf_alloc_bulk","rte_pktmbuf_free_bulk","Bench::drain_tx","BM_ServeNtpRequest","@@"]),
 ("rx burst + loop (poll_once, rx_stage, tx_stage, net_ring PMD)", ["DataplaneLoop::poll_once","DataplaneLoop::rx_stage","DataplaneLoop::tx_stage","eth_ring_rx","eth_ring_tx","DataplaneLoop::timers","rte_ring","Dataplane::poll_once","DataplaneLoop::handle_frame","librte_net_ring"]),
 ("decode (frame + NTP fields)", ["wire::decode_frame","wire::decode_ntp","FrameParser","decode_extension_fields","udp_checksum_is_valid"]),
 ("checksums (verify on RX, fill on TX)", ["checksum_accumulate","pseudo_sum","internet_checksum","udp_checksum_ipv4","checksum_finish","udp_checksum_ipv6"]),
 ("classify (rx::classify: interface, filters, counters)", ["rx::classify","rx::(anonymous namespace)","find_by_port_vlan","Interface::owns","Interface::joined"]),
 ("T2 (RX stamp, ticks -> NTP)", ["DataplaneLoop::rx_stamp","DataplaneLoop::request_stamp","ClockModel::ntp"]),
 ("respond in place (checks, reply header, re-encode)", ["serve_in_place","reply_header","check_listening","check_request","interleaved_transmit","encode_ntp","finish_ipv4_udp","encode_ipv4_ntp","encode_ntp_frame","write_ethernet","__memset","memset@plt","is_ipv4_broadcast","InterleavedStore::find","bad_"]),
 ("serve() glue (state per burst, slot, counters)", ["DataplaneLoop::serve","seqlock","PublishedServer::read","PublishedClock","ServerCounters"]),
 ("T3 patch + tx burst + store insert + counters (flush_replies)", ["flush_replies","restamp_ntp_transmit","stamp_transmit","InterleavedStore::save","tsc_clock","read_tsc"]),
 ("memmove (far end copy-in and encoder, not split)", ["memmove"]),
 ("kernel (preemption, interrupts: the machine's load)", ["[k]"]),
 ("start-up (EAL init, dynamic linking)", ["ld-linux","strcmp","do_lookup_x","_dl_"]),
]
tot = {g[0]:0.0 for g in groups}; other=[]; total=0
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+(\[.\])\s+(.*)", line)
    if not m: continue
    pct=float(m.group(1)); dso=m.group(2); kind=m.group(3); sym=m.group(4).strip()
    total+=pct
    key = sym if kind!="[k]" else "[k]"
    if "ld-linux" in dso: key="ld-linux"
    if "librte_net_ring" in dso: key="librte_net_ring"
    for name,pats in groups:
        if any(p in key for p in pats):
            tot[name]+=pct; break
    else:
        other.append((pct,dso,sym))
for name,_ in groups: print(f"{tot[name]:6.2f}%  {name}")
print(f"{sum(p for p,_,_ in other):6.2f}%  other"); 
for p,d,s in sorted(other,reverse=True)[:25]: print("     ",p,d,s[:90])
print("total",total)
