// Fuzzes the daemon side of the management socket: the bytes a peer sends go through the frame
// decoder (fed in two arbitrary pieces), each complete message through decode_request, and each
// request through MgmtService::handle against a fake daemon, exactly as the server does.
// Invariants: no crash, leak or UB; every response encodes and decodes back; a refused commit
// leaves the running configuration and the file on disk byte-identical.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include "config/apply/atomic_file.hpp"
#include "config/mgmt/mgmt_frame.hpp"
#include "config/mgmt/mgmt_protocol.hpp"
#include "config/mgmt/mgmt_service.hpp"

namespace {

using namespace wiretime;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// One running file for the whole run (the fuzzer calls the target millions of times), on tmpfs
// where there is one: every write is fsync'd, which on a disk would cap the run at a few inputs
// per second.
const std::string& file_path() {
  static const std::string path = [] {
    char shm[] = "/dev/shm/wiretime-fuzz-mgmt-XXXXXX";
    char tmp[] = "/tmp/wiretime-fuzz-mgmt-XXXXXX";
    const char* dir = mkdtemp(shm);
    if (dir == nullptr) dir = mkdtemp(tmp);
    if (dir == nullptr) std::abort();
    return std::string(dir) + "/wiretimed.yaml";
  }();
  return path;
}

constexpr const char* kStartFile =
    "interfaces:\n  - name: 100GE1/0/1\n    port: 0\nntp:\n  unicast-servers:\n"
    "    - address: 10.1.1.1\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (read_all(file_path()) != kStartFile &&
      apply::write_file_atomically(file_path(), kStartFile)) {
    std::abort();
  }
  auto opened = apply::RunningFile::open(file_path());
  if (!std::holds_alternative<apply::RunningFile>(opened)) std::abort();
  auto read = apply::RunningFile::read_ntp(file_path());
  if (!std::holds_alternative<config::NtpConfig>(read)) std::abort();

  config::NtpConfig running = std::get<config::NtpConfig>(read);
  mgmt::DaemonHooks hooks;
  hooks.running = [&running] { return running; };
  hooks.inventory = [] { return config::InterfaceInventory{{"100GE1/0/1", "100GE1/0/2"}}; };
  hooks.apply = [&running](const apply::ApplyPlan&, const config::NtpConfig& candidate) {
    running = candidate;
    return std::optional<std::string>();
  };
  hooks.status = [] { return display::StatusSnapshot{}; };
  mgmt::MgmtService service(hooks, std::move(std::get<apply::RunningFile>(opened)));

  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t split = size == 0 ? 0 : data[0] % (size + 1);
  mgmt::FrameDecoder decoder;
  decoder.feed(bytes.substr(0, split));
  int messages = 0;
  for (int piece = 0; piece < 2; ++piece) {
    if (piece == 1) decoder.feed(bytes.substr(split));
    while (messages < 16) {
      auto fields = decoder.next();
      if (!fields) break;
      ++messages;
      auto request = mgmt::decode_request(*fields);
      mgmt::Response response;
      if (auto* r = std::get_if<mgmt::Request>(&request)) {
        const config::NtpConfig before = running;
        const std::string file_before = read_all(file_path());
        response = service.handle(*r);
        if (r->kind == mgmt::RequestKind::kCommit && !response.ok) {
          if (!(running == before) || read_all(file_path()) != file_before) std::abort();
        }
      } else {
        response = {false, std::get<std::string>(request)};
      }
      // What the server sends back must be something the client can read.
      auto decoded = mgmt::decode_response(mgmt::encode_response(response));
      auto* back = std::get_if<mgmt::Response>(&decoded);
      if (back == nullptr || back->ok != response.ok || back->body != response.body) std::abort();
    }
  }
  if (decoder.failed() && decoder.next().has_value()) std::abort();
  return 0;
}
