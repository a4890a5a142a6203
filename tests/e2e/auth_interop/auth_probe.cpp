// Sends one NTP client request signed with control/auth to a server over a UDP socket, waits
// for the reply and verifies its MAC with control/auth. One result line on stdout:
//   key=3 type=SHA256 version=4 sent=72 reply=yes mac_key=3 digest=20 verdict=ok
// (reply=no verdict=none when nothing came back within the timeout). Used by
// auth_chronyd_test.sh against a real chronyd; exit status 2 on usage or setup errors.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "control/auth/chrony_key_file.hpp"
#include "control/auth/key_table.hpp"
#include "control/auth/ntp_mac.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace {

using namespace wiretime;

bool load(const char* path, auth::KeyTable& table) {
  const auto r = auth::load_chrony_key_file(path);
  for (const auto& d : r.diagnostics) std::fprintf(stderr, "%s\n", d.to_string(path).c_str());
  for (const auto& k : r.keys) table.add(k);
  return !table.empty();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr,
                 "usage: %s SERVER_IP PORT SIGN_KEYFILE VERIFY_KEYFILE KEY_ID VERSION "
                 "TIMEOUT_MS\n  KEY_ID 0 sends an unauthenticated request\n",
                 argv[0]);
    return 2;
  }
  auth::KeyTable sign_keys, verify_keys;
  if (!load(argv[3], sign_keys) || !load(argv[4], verify_keys)) return 2;
  const auto key_id = static_cast<uint32_t>(std::strtoul(argv[5], nullptr, 10));
  const auto version = static_cast<uint8_t>(std::atoi(argv[6]));
  const int timeout_ms = std::atoi(argv[7]);

  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1) return 2;
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
    std::perror("socket");
    return 2;
  }

  wire::NtpHeader request;
  request.leap = wire::LeapIndicator::kUnsynchronized;
  request.version = version;
  request.mode = wire::NtpMode::kClient;
  request.poll = 0;
  std::random_device rd;
  const NtpTimestamp cookie = NtpTimestamp::from_raw((static_cast<uint64_t>(rd()) << 32) | rd());
  request.transmit = cookie;

  std::array<uint8_t, 128> out{};
  const size_t length = key_id == 0
                            ? wire::encode_ntp(out, request)
                            : auth::encode_authenticated_ntp(out, request, sign_keys, key_id);
  const auth::SymmetricKey* key = sign_keys.find(key_id);
  std::printf("key=%u type=%s version=%u sent=%zu", key_id,
              key ? std::string(auth::to_string(key->algorithm)).c_str() : "none",
              unsigned{version}, length);
  if (length == 0 || send(fd, out.data(), length, 0) != static_cast<ssize_t>(length)) {
    std::printf(" reply=no verdict=send-failed\n");
    return 2;
  }

  std::array<uint8_t, 1024> in{};
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, timeout_ms) == 1) {
    const ssize_t n = recv(fd, in.data(), in.size(), 0);
    if (n <= 0) break;
    const std::span<const uint8_t> payload(in.data(), static_cast<size_t>(n));
    wire::NtpPacket reply;
    if (wire::decode_ntp(payload, reply) != wire::DecodeError::kOk) {
      std::printf(" reply=undecodable verdict=none\n");
      return 0;
    }
    if (reply.header.origin != cookie) continue;  // not the answer to this request
    const auto verdict = auth::verify_ntp_packet(
        verify_keys, payload, reply, key_id == 0 ? std::nullopt : std::optional(key_id));
    std::string v(auth::to_string(verdict));
    for (auto& c : v)
      if (c == ' ') c = '-';
    std::printf(" reply=yes mode=%u stratum=%u mac_key=%u digest=%zu verdict=%s\n",
                unsigned(reply.header.mode), unsigned{reply.header.stratum},
                reply.has_mac ? reply.mac.key_id : 0u, reply.mac.digest.size(), v.c_str());
    return 0;
  }
  std::printf(" reply=no verdict=none\n");
  close(fd);
  return 0;
}
