#include "dataplane/dpdk/eal.hpp"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include <filesystem>
#include <system_error>

namespace wiretime::dpdk {

std::vector<std::string> eal_arguments(const std::string& program,
                                       const std::vector<std::string>& configured, int pid) {
  std::vector<std::string> argv{program};
  bool has_prefix = false;
  for (const std::string& a : configured) {
    argv.push_back(a);
    if (a == "--file-prefix" || a.rfind("--file-prefix=", 0) == 0) has_prefix = true;
  }
  if (!has_prefix) {
    argv.push_back("--file-prefix");
    argv.push_back("wiretimed-" + std::to_string(pid));
  }
  return argv;
}

Eal::~Eal() {
  if (!initialised_) return;
  // The primary's runtime directory (/run/dpdk/<file-prefix>: config, fbarray and socket
  // files) outlives rte_eal_cleanup; every run has its own prefix, so without this each test
  // process and daemon run would leave one behind.
  const bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
  const std::string dir = rte_eal_get_runtime_dir();
  rte_eal_cleanup();
  if (primary && !dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
}

std::string Eal::init(const std::vector<std::string>& argv) {
  // rte_eal_init permutes argv, so it gets its own copies of the strings.
  std::vector<std::string> storage(argv);
  std::vector<char*> pointers;
  for (std::string& s : storage) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  const int rc = rte_eal_init(static_cast<int>(storage.size()), pointers.data());
  if (rc < 0) return std::string("rte_eal_init failed: ") + rte_strerror(rte_errno);
  initialised_ = true;
  return {};
}

std::vector<unsigned> Eal::worker_lcores() {
  std::vector<unsigned> lcores;
  unsigned id = 0;
  RTE_LCORE_FOREACH_WORKER(id) {
    lcores.push_back(id);
  }
  return lcores;
}

unsigned Eal::main_lcore() {
  return rte_get_main_lcore();
}

}  // namespace wiretime::dpdk
