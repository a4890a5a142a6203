#include "dataplane/dpdk/telemetry.hpp"

#include <rte_telemetry.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

namespace wiretime::dpdk {
namespace {

// rte_telemetry_register_cmd takes a bare function pointer and commands cannot be removed, so
// one callback serves every command through this table. The mutex is shared by the telemetry
// thread and the control thread's set-up and tear-down only; the lcore never sees it.
struct Registry {
  std::mutex mutex;
  std::map<std::string, TelemetryHandler> handlers;  // command -> handler (empty: gone)
};
// Never destroyed: DPDK's telemetry thread is not stopped at exit and may still call in while
// static objects are being destroyed.
Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

int dispatch(const char* cmd, const char* params, rte_tel_data* info) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  const auto it = r.handlers.find(cmd);
  if (it == r.handlers.end() || !it->second) return -EINVAL;
  rte_tel_data_start_dict(info);
  TelemetryDict out(info);
  it->second(params != nullptr ? params : "", out);
  return 0;
}

std::string key(const std::string& name) {
  std::string k = name.substr(0, RTE_TEL_MAX_STRING_LEN - 1);
  for (char& c : k) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) c = '_';
  }
  return k;
}

}  // namespace

void TelemetryDict::u64(const std::string& name, uint64_t value) {
  if (data_ != nullptr) rte_tel_data_add_dict_u64(data_, key(name).c_str(), value);
}

void TelemetryDict::str(const std::string& name, const std::string& value) {
  if (data_ == nullptr) return;
  rte_tel_data_add_dict_string(data_, key(name).c_str(),
                               value.substr(0, RTE_TEL_MAX_STRING_LEN - 1).c_str());
}

void TelemetryDict::real(const std::string& name, double value) {
  // The shortest text that reads back as the same double (Unix times keep their fraction).
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  str(name, std::string(buf, r.ptr));
}

TelemetryDict TelemetryDict::child(const std::string& name) {
  if (data_ == nullptr) return TelemetryDict(nullptr);
  rte_tel_data* c = rte_tel_data_alloc();
  if (c == nullptr) return TelemetryDict(nullptr);
  rte_tel_data_start_dict(c);
  // The container's JSON is made after the callback returns, so it may still be filled.
  if (rte_tel_data_add_dict_container(data_, key(name).c_str(), c, 0) != 0) {
    rte_tel_data_free(c);
    return TelemetryDict(nullptr);
  }
  return TelemetryDict(c);
}

std::string TelemetryCommands::add(const std::string& command, const std::string& help,
                                   TelemetryHandler handler) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = r.handlers.find(command);
  if (it == r.handlers.end()) {
    // DPDK refuses help texts of RTE_TEL_MAX_STRING_LEN characters or more.
    const std::string h = help.substr(0, RTE_TEL_MAX_STRING_LEN - 1);
    if (const int rc = rte_telemetry_register_cmd(command.c_str(), dispatch, h.c_str()); rc != 0) {
      return "cannot register telemetry command " + command + ": " + std::strerror(-rc);
    }
    it = r.handlers.emplace(command, TelemetryHandler()).first;
  }
  it->second = std::move(handler);
  mine_.push_back(command);
  return {};
}

TelemetryCommands::~TelemetryCommands() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const std::string& c : mine_) r.handlers[c] = TelemetryHandler();
}

}  // namespace wiretime::dpdk
