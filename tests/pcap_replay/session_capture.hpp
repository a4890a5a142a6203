// What a replay needs to know of a recorded client<->server session before the dataplane sees
// it: the client's identity, learnt as the destination of the first server reply (so the
// dataplane can impersonate it), the client's requests (cookie and capture time, for T1), and
// how many replies to the client the dataplane must hand to control. Read with libpcap at
// microsecond precision, the resolution net_pcap stamps mbufs with, and decoded with the
// project's wire decoder.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dataplane/wire/addresses.hpp"
#include "tests/pcap_replay/session_exchange.hpp"

namespace wiretime::replay {

struct SessionCapture {
  size_t packets = 0;
  bool ethernet = false;
  bool has_client = false;
  wire::MacAddress client_mac;
  wire::IpAddress client_ip;
  std::vector<CapturedRequest> requests;  // client-mode packets from the client, capture order
  size_t replies = 0;  // server-mode packets to the client that pass the dataplane's checks
};

// False with `error` set when the file cannot be read.
bool read_session_capture(const std::string& path, SessionCapture& out, std::string& error);

}  // namespace wiretime::replay
