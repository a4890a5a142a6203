#include "dataplane/socket/packet_rx_ring.hpp"

#include <linux/filter.h>
#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <ctime>

#include "dataplane/socket/packet_socket.hpp"

namespace wiretime::socket {
namespace {

// NTP client requests: UDP whose payload's first byte has mode 3, over IPv4 (any header length,
// no later fragment) or IPv6 (UDP next header); any frame that still carries a tag (the kernel
// strips the outer one into metadata before the filter runs; the reader checks such frames).
constexpr std::array<sock_filter, 19> kNtpRequests{{
    {BPF_LD | BPF_H | BPF_ABS, 0, 0, 12},         // 0: ethertype
    {BPF_JMP | BPF_JEQ | BPF_K, 0, 7, 0x0800},    // 1: IPv4 -> 2, else 9
    {BPF_LD | BPF_B | BPF_ABS, 0, 0, 23},         // 2: IPv4 protocol
    {BPF_JMP | BPF_JEQ | BPF_K, 0, 13, 17},       // 3: UDP -> 4, else drop
    {BPF_LD | BPF_H | BPF_ABS, 0, 0, 20},         // 4: flags and fragment offset
    {BPF_JMP | BPF_JSET | BPF_K, 11, 0, 0x1fff},  // 5: a later fragment -> drop
    {BPF_LDX | BPF_B | BPF_MSH, 0, 0, 14},        // 6: X = IPv4 header length
    {BPF_LD | BPF_B | BPF_IND, 0, 0, 22},         // 7: NTP's first byte (14 + X + 8)
    {BPF_JMP | BPF_JA, 0, 0, 4},                  // 8: -> 13
    {BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0x86dd},    // 9: IPv6 -> 10, else 15
    {BPF_LD | BPF_B | BPF_ABS, 0, 0, 20},         // 10: IPv6 next header
    {BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 17},        // 11: UDP -> 12, else drop
    {BPF_LD | BPF_B | BPF_ABS, 0, 0, 62},         // 12: NTP's first byte (14 + 40 + 8)
    {BPF_ALU | BPF_AND | BPF_K, 0, 0, 0x07},      // 13: its mode
    {BPF_JMP | BPF_JEQ | BPF_K, 3, 2, 3},         // 14: mode 3 -> accept, else drop
    {BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 0x8100},    // 15: 802.1Q -> accept
    {BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0x88a8},    // 16: 802.1ad -> accept, else drop
    {BPF_RET | BPF_K, 0, 0, 0},                   // 17: drop
    {BPF_RET | BPF_K, 0, 0, 0xffff},              // 18: accept
}};

constexpr const char* kWhat = "packet ring";

tpacket2_hdr* header(uint8_t* slot) {
  return reinterpret_cast<tpacket2_hdr*>(slot);
}

}  // namespace

std::unique_ptr<PacketRxRing> PacketRxRing::open(const std::string& ifname, std::string& error,
                                                 size_t frames) {
  if (frames < 16 || (frames & (frames - 1)) != 0) {
    error = "packet ring on " + ifname + ": " + std::to_string(frames) +
            " frames is not a power of two of 16 or more";
    return nullptr;
  }
  const PacketSocket packet = open_packet_socket(kWhat, ifname, kNtpRequests, error);
  if (packet.fd < 0) return nullptr;
  std::unique_ptr<PacketRxRing> ring(new PacketRxRing(packet.fd, ifname));
  const int version = TPACKET_V2;
  const int on = 1;
  tpacket_req request{};
  request.tp_block_size = kBlockBytes;
  request.tp_frame_size = kFrameBytes;
  request.tp_frame_nr = static_cast<unsigned>(frames);
  request.tp_block_nr = static_cast<unsigned>(frames * kFrameBytes / kBlockBytes);
  if (setsockopt(packet.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on) != 0) {
    error = packet_socket_failure(kWhat, "PACKET_IGNORE_OUTGOING", ifname);
    return nullptr;
  }
  if (setsockopt(packet.fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0) {
    error = packet_socket_failure(kWhat, "PACKET_VERSION", ifname);
    return nullptr;
  }
  if (setsockopt(packet.fd, SOL_PACKET, PACKET_RX_RING, &request, sizeof request) != 0) {
    error = packet_socket_failure(kWhat, "PACKET_RX_RING", ifname);
    return nullptr;
  }
  const size_t bytes = static_cast<size_t>(request.tp_block_size) * request.tp_block_nr;
  void* map = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, packet.fd, 0);
  if (map == MAP_FAILED) {
    error = packet_socket_failure(kWhat, "mmap", ifname);
    return nullptr;
  }
  ring->map_ = static_cast<uint8_t*>(map);
  ring->map_bytes_ = bytes;
  ring->frames_ = frames;
  if (!bind_packet_socket(packet, kWhat, ifname, error)) return nullptr;
  return ring;
}

PacketRxRing::~PacketRxRing() {
  if (map_ != nullptr) munmap(map_, map_bytes_);
  ::close(fd_);
}

std::optional<RingFrame> PacketRxRing::peek(size_t i) const {
  if (i >= frames_) return std::nullopt;
  uint8_t* s = slot(head_ + i);
  const tpacket2_hdr* h = header(s);
  // Acquire: the frame's bytes and stamp are read only after the kernel handed it over.
  if ((__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) == 0) {
    return std::nullopt;
  }
  RingFrame f;
  const size_t room = kFrameBytes > h->tp_mac ? kFrameBytes - h->tp_mac : 0;
  f.bytes = std::span<const uint8_t>(s + h->tp_mac, std::min<size_t>(h->tp_snaplen, room));
  f.unix_ns = static_cast<uint64_t>(h->tp_sec) * 1'000'000'000 + h->tp_nsec;
  return f;
}

void PacketRxRing::release(size_t n) {
  for (size_t i = 0; i < n && i < frames_; ++i) {
    // Release: our reads of the frame are done before the kernel may overwrite it.
    __atomic_store_n(&header(slot(head_))->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    ++head_;
  }
}

uint64_t PacketRxRing::realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t PacketRxRing::take_drops() {
  tpacket_stats stats{};
  socklen_t length = sizeof stats;
  if (getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &stats, &length) != 0) return 0;
  return stats.tp_drops;
}

}  // namespace wiretime::socket
