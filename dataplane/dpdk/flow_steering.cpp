#include "dataplane/dpdk/flow_steering.hpp"

#include <rte_byteorder.h>

namespace wiretime::dpdk {
namespace {

constexpr uint16_t kNtpPort = 123;

// One rule: ETH [/ VLAN vid] / IPv4|IPv6 / UDP (src or dst port 123) -> QUEUE.
struct RuleSpec {
  rte_flow_attr attr{};
  rte_flow_item_vlan vlan_spec{};
  rte_flow_item_vlan vlan_mask{};
  rte_flow_item_udp udp_spec{};
  rte_flow_item_udp udp_mask{};
  rte_flow_item pattern[5]{};
  rte_flow_action_queue queue{};
  rte_flow_action actions[2]{};

  RuleSpec(const SteeringRule& rule, bool ipv6, bool source_port) {
    attr.ingress = 1;
    int n = 0;
    pattern[n++].type = RTE_FLOW_ITEM_TYPE_ETH;
    if (rule.vlan != 0) {
      vlan_spec.hdr.vlan_tci = rte_cpu_to_be_16(rule.vlan);
      vlan_mask.hdr.vlan_tci = rte_cpu_to_be_16(0x0fff);
      pattern[n].type = RTE_FLOW_ITEM_TYPE_VLAN;
      pattern[n].spec = &vlan_spec;
      pattern[n].mask = &vlan_mask;
      ++n;
    }
    pattern[n++].type = ipv6 ? RTE_FLOW_ITEM_TYPE_IPV6 : RTE_FLOW_ITEM_TYPE_IPV4;
    if (source_port) {
      udp_spec.hdr.src_port = rte_cpu_to_be_16(kNtpPort);
      udp_mask.hdr.src_port = 0xffff;
    } else {
      udp_spec.hdr.dst_port = rte_cpu_to_be_16(kNtpPort);
      udp_mask.hdr.dst_port = 0xffff;
    }
    pattern[n].type = RTE_FLOW_ITEM_TYPE_UDP;
    pattern[n].spec = &udp_spec;
    pattern[n].mask = &udp_mask;
    ++n;
    pattern[n].type = RTE_FLOW_ITEM_TYPE_END;
    queue.index = rule.queue;
    actions[0].type = RTE_FLOW_ACTION_TYPE_QUEUE;
    actions[0].conf = &queue;
    actions[1].type = RTE_FLOW_ACTION_TYPE_END;
  }
};

std::string describe(const rte_flow_error& e, int rc) {
  if (e.message != nullptr) return e.message;
  return "rte_flow error " + std::to_string(rc);
}

}  // namespace

bool FlowSteering::install(uint16_t port, const std::vector<SteeringRule>& rules,
                           std::string& why) {
  clear();
  port_ = port;
  // Rules point into themselves (spec/mask/conf): reserve so that they never move.
  std::vector<RuleSpec> specs;
  specs.reserve(rules.size() * 4);
  for (const SteeringRule& rule : rules) {
    for (bool ipv6 : {false, true}) {
      for (bool source_port : {true, false}) specs.emplace_back(rule, ipv6, source_port);
    }
  }
  for (RuleSpec& s : specs) {
    rte_flow_error error{};
    const int rc = rte_flow_validate(port, &s.attr, s.pattern, s.actions, &error);
    if (rc != 0) {
      why = describe(error, rc);
      return false;
    }
  }
  for (RuleSpec& s : specs) {
    rte_flow_error error{};
    rte_flow* flow = rte_flow_create(port, &s.attr, s.pattern, s.actions, &error);
    if (flow == nullptr) {
      why = describe(error, -1);
      clear();
      return false;
    }
    flows_.push_back(flow);
  }
  return true;
}

void FlowSteering::clear() {
  for (rte_flow* flow : flows_) {
    rte_flow_error error{};
    rte_flow_destroy(port_, flow, &error);
  }
  flows_.clear();
}

}  // namespace wiretime::dpdk
