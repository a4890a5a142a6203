// The control loop's Resolver over control/resolver's NameResolver: requests go in at once,
// answers are handed to the loop by deliver() (after wake_fd() turned readable in worker mode,
// or whenever next_due() has come in synchronous mode). A failure leaves the association
// unresolved; the engine asks again at its next poll and the resolver backs off meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "control/resolver/name_resolver.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

class SystemResolver final : public runtime::Resolver {
 public:
  // `now`: the steady time both resolve() and deliver() use for back-off. `lookup`: see
  // NameResolver (empty: the system resolver).
  SystemResolver(const resolver::ResolverOptions& options, std::function<engine::SteadyNanos()> now,
                 resolver::LookupFunction lookup = {});

  // The port requests to `id` go to once its name is resolved.
  void set_port(engine::AssociationId id, uint16_t port) { ports_[id] = port; }

  void resolve(engine::AssociationId id, const std::string& name) override;

  // Hands finished lookups to `loop`; returns what happened, for the log.
  std::vector<resolver::ResolveEvent> deliver(runtime::ControlLoop& loop);

  std::optional<engine::SteadyNanos> next_due() const { return resolver_.next_due(); }
  int wake_fd() const { return resolver_.wake_fd(); }

 private:
  resolver::NameResolver resolver_;
  std::function<engine::SteadyNanos()> now_;
  resolver::AddressFamily family_;
  std::map<engine::AssociationId, uint16_t> ports_;
};

}  // namespace wiretime::daemon
