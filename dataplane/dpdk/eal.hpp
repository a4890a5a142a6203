// The DPDK Environment Abstraction Layer: start-up from the YAML's argument list and clean-up.
#pragma once

#include <string>
#include <vector>

namespace wiretime::dpdk {

// argv for rte_eal_init: program name, the configured arguments, and a --file-prefix unique to
// this process when none is given, so that two daemons (or test runs) never share runtime files.
std::vector<std::string> eal_arguments(const std::string& program,
                                       const std::vector<std::string>& configured, int pid);

// Owns the initialised EAL; the destructor calls rte_eal_cleanup. One per process.
class Eal {
 public:
  Eal() = default;
  Eal(const Eal&) = delete;
  Eal& operator=(const Eal&) = delete;
  ~Eal();

  // Returns an empty string on success, else what went wrong.
  std::string init(const std::vector<std::string>& argv);
  bool initialised() const { return initialised_; }

  // Lcores the EAL enabled, besides the main one.
  static std::vector<unsigned> worker_lcores();
  static unsigned main_lcore();

 private:
  bool initialised_ = false;
};

}  // namespace wiretime::dpdk
