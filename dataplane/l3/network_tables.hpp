// The L3 tables the lcores route and classify with: interfaces (with their VRFs) and routes,
// built together by control from a NetworkSpec and published as one immutable object by
// pointer swap (rcu::QuiescentPublisher): a commit that changes interface addresses,
// sub-interfaces, VRF bindings or static routes replaces them without a restart, no lock and no
// allocation on the lcore. Built from the table it replaces, interfaces keep their indices and
// VRFs their ids, so what the lcore and control hold by index stays valid; an interface whose
// definition changed gets a new revision, and the lcore drops what it learned about its
// neighbours (NeighborRevisions). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dataplane/l3/interface_table.hpp"
#include "dataplane/l3/neighbor_cache.hpp"
#include "dataplane/l3/routing_table.hpp"
#include "dataplane/rcu/quiescent_publisher.hpp"

namespace wiretime::l3 {

// Interface indices a running dataplane holds (event rings, per-interface counters).
inline constexpr size_t kMaxInterfaces = 64;

struct NetworkTables {
  InterfaceTable interfaces;
  RoutingTable routes;

  // Both tables from `spec`; with `previous`, indices, VRF ids and unchanged revisions are
  // kept (InterfaceTable::build). Empty string on success, else what is wrong.
  std::string build(const NetworkSpec& spec, const std::vector<wire::MacAddress>& port_macs,
                    const NetworkTables* previous = nullptr);
};

using NetworkTablePublisher = rcu::QuiescentPublisher<NetworkTables>;

// The lcore's memory of the interface revisions it last routed with. adopt() moves it to a
// newly acquired table: neighbour entries of interfaces that are gone or changed are dropped
// (their parked packet handed to `on_dropped`), `on_changed` is called for each interface that
// is new or changed (to announce its addresses). Untouched interfaces keep their neighbours.
// Sized once; adopt() does not allocate.
class NeighborRevisions {
 public:
  explicit NeighborRevisions(size_t capacity = kMaxInterfaces)
      : known_(capacity, kNone), changed_(capacity, false) {}

  template <typename Held, typename OnDropped, typename OnChanged>
  void adopt(const InterfaceTable& table, NeighborCache<Held>& neighbors, OnDropped&& on_dropped,
             OnChanged&& on_changed) {
    for (size_t i = 0; i < known_.size(); ++i) {
      const Interface* itf = table.find(static_cast<InterfaceIndex>(i));
      const uint64_t now = itf != nullptr ? itf->revision : kNone;
      changed_[i] = now != known_[i];
      known_[i] = now;
    }
    neighbors.forget_if(
        [this](const NeighborKey& key) {
          return key.interface >= changed_.size() || changed_[key.interface];
        },
        on_dropped);
    for (const Interface& itf : table.all()) {
      if (itf.index < changed_.size() && changed_[itf.index]) on_changed(itf);
    }
  }

 private:
  static constexpr uint64_t kNone = UINT64_MAX;  // no interface at this index
  std::vector<uint64_t> known_;
  std::vector<bool> changed_;
};

}  // namespace wiretime::l3
