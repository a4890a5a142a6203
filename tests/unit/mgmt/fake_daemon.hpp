#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "config/apply/apply_plan.hpp"
#include "config/mgmt/mgmt_service.hpp"

namespace wiretime::mgmt::test {

// A daemon reduced to what the management service sees: a running configuration, an
// inventory, and per-association state (a stand-in for filter, reach and poll state) that
// apply() keeps, updates in place, or creates afresh exactly as the plan says.
struct FakeDaemon {
  struct AssociationState {
    int generation = 0;  // which apply created it
    int samples = 0;     // grows while the association lives: lost if it is re-created
    config::Association config;
  };
  using Key = std::tuple<config::AssociationMode, std::string, std::string>;

  config::NtpConfig running;
  config::InterfaceInventory inventory{{"100GE1/0/1", "100GE1/0/2"}};
  std::map<Key, AssociationState> associations;
  int applies = 0;
  std::optional<std::string> fail_next_apply;
  display::StatusSnapshot snapshot;
  bool with_status = true;

  static Key key_of(config::AssociationMode mode, const config::Association& a) {
    return {mode, a.address, a.vpn_instance};
  }

  // Time passes: every live association takes a sample.
  void tick() {
    for (auto& [key, state] : associations) ++state.samples;
  }

  std::optional<std::string> apply(const apply::ApplyPlan& plan,
                                   const config::NtpConfig& candidate) {
    if (fail_next_apply) {
      std::string error = *fail_next_apply;
      fail_next_apply.reset();
      return error;
    }
    ++applies;
    for (const apply::AssociationChange& c : plan.associations) {
      switch (c.action) {
        case apply::AssociationAction::kKeep:
          break;
        case apply::AssociationAction::kModify:
          associations.at(key_of(c.mode, *c.running)).config = *c.candidate;
          break;
        case apply::AssociationAction::kRemove:
          associations.erase(key_of(c.mode, *c.running));
          break;
        case apply::AssociationAction::kReplace:
        case apply::AssociationAction::kAdd:
          associations[key_of(c.mode, *c.candidate)] = {applies, 0, *c.candidate};
          break;
      }
    }
    running = candidate;
    return std::nullopt;
  }

  DaemonHooks hooks() {
    DaemonHooks h;
    h.running = [this] { return running; };
    h.inventory = [this] { return inventory; };
    h.apply = [this](const apply::ApplyPlan& plan, const config::NtpConfig& candidate) {
      return apply(plan, candidate);
    };
    if (with_status) h.status = [this] { return snapshot; };
    return h;
  }
};

inline config::Association server(const std::string& address) {
  config::Association a;
  a.address = address;
  return a;
}

}  // namespace wiretime::mgmt::test
