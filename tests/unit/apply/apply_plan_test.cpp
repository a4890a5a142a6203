#include "config/apply/apply_plan.hpp"

#include <gtest/gtest.h>

namespace wiretime::apply {
namespace {

using config::Association;
using config::AssociationMode;
using config::NtpConfig;
using config::ServerKind;

Association server(const std::string& address, const std::string& vpn = {}) {
  Association a;
  a.kind = ServerKind::kIpv4;
  a.address = address;
  a.vpn_instance = vpn;
  return a;
}

NtpConfig three_servers() {
  NtpConfig c;
  c.unicast_servers = {server("10.1.1.1"), server("10.1.1.2"), server("10.1.1.3")};
  return c;
}

const AssociationChange* find(const ApplyPlan& plan, const std::string& address,
                              AssociationMode mode = AssociationMode::kServer) {
  for (const AssociationChange& c : plan.associations) {
    const Association& a = c.candidate ? *c.candidate : *c.running;
    if (a.address == address && c.mode == mode) return &c;
  }
  return nullptr;
}

TEST(ApplyPlan, IdenticalConfigurationKeepsEverything) {
  const NtpConfig c = three_servers();
  const ApplyPlan plan = plan_apply(c, c);
  EXPECT_TRUE(plan.changes_nothing());
  ASSERT_EQ(plan.associations.size(), 3u);
  for (const AssociationChange& change : plan.associations) {
    EXPECT_EQ(change.action, AssociationAction::kKeep);
    EXPECT_EQ(change.changed, 0u);
  }
  EXPECT_TRUE(plan.globals.empty());
  EXPECT_EQ(describe(plan), "");
}

TEST(ApplyPlan, AddAndRemoveWithRemovalsFirst) {
  const NtpConfig running = three_servers();
  NtpConfig candidate = running;
  candidate.unicast_servers.erase(candidate.unicast_servers.begin() + 1);
  candidate.unicast_servers.push_back(server("10.1.1.4"));
  const ApplyPlan plan = plan_apply(running, candidate);
  ASSERT_EQ(plan.associations.size(), 4u);
  EXPECT_EQ(plan.associations[0].action, AssociationAction::kRemove);
  EXPECT_EQ(plan.associations[0].running->address, "10.1.1.2");
  EXPECT_FALSE(plan.associations[0].candidate.has_value());
  EXPECT_EQ(find(plan, "10.1.1.1")->action, AssociationAction::kKeep);
  EXPECT_EQ(find(plan, "10.1.1.3")->action, AssociationAction::kKeep);
  EXPECT_EQ(plan.associations[3].action, AssociationAction::kAdd);
  EXPECT_EQ(plan.associations[3].candidate->address, "10.1.1.4");
  EXPECT_EQ(plan.count(AssociationAction::kKeep), 2u);
  EXPECT_FALSE(plan.changes_nothing());
  EXPECT_EQ(describe(plan), "remove server 10.1.1.2\nadd server 10.1.1.4\n");
}

TEST(ApplyPlan, SoftOptionsModifyInPlace) {
  const NtpConfig running = three_servers();
  NtpConfig candidate = running;
  candidate.unicast_servers[0].preferred = true;
  candidate.unicast_servers[0].maxpoll = 12;
  candidate.unicast_servers[1].key_id = 42;
  candidate.unicast_servers[2].iburst = true;
  const ApplyPlan plan = plan_apply(running, candidate);
  const AssociationChange* first = find(plan, "10.1.1.1");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->action, AssociationAction::kModify);
  EXPECT_EQ(first->changed, kFieldPreferred | kFieldMaxpoll);
  EXPECT_EQ(first->running->maxpoll, 10);
  EXPECT_EQ(first->candidate->maxpoll, 12);
  EXPECT_EQ(find(plan, "10.1.1.2")->changed, static_cast<uint32_t>(kFieldKeyId));
  EXPECT_EQ(find(plan, "10.1.1.3")->action, AssociationAction::kModify);
  EXPECT_EQ(plan.count(AssociationAction::kModify), 3u);
  EXPECT_TRUE(plan.globals.empty());
  EXPECT_NE(describe(plan).find("modify server 10.1.1.1 (preferred, maxpoll)"), std::string::npos);
}

TEST(ApplyPlan, PathOptionsReplace) {
  const NtpConfig running = three_servers();
  NtpConfig candidate = running;
  candidate.unicast_servers[0].port = 5000;
  candidate.unicast_servers[1].version = 4;
  candidate.unicast_servers[2].source_interface = "100GE1/0/1";
  candidate.unicast_servers[2].preferred = true;  // rides along with the replace
  const ApplyPlan plan = plan_apply(running, candidate);
  EXPECT_EQ(find(plan, "10.1.1.1")->action, AssociationAction::kReplace);
  EXPECT_EQ(find(plan, "10.1.1.1")->changed, static_cast<uint32_t>(kFieldPort));
  EXPECT_EQ(find(plan, "10.1.1.2")->action, AssociationAction::kReplace);
  const AssociationChange* third = find(plan, "10.1.1.3");
  EXPECT_EQ(third->action, AssociationAction::kReplace);
  EXPECT_EQ(third->changed,
            kFieldSourceInterface | kFieldPreferred | static_cast<uint32_t>(kFieldEffectiveSource));
}

TEST(ApplyPlan, EntriesAreKeyedByModeKindAddressAndVpn) {
  NtpConfig running;
  running.unicast_servers = {server("10.1.1.1"), server("10.1.1.1", "blue")};
  NtpConfig candidate = running;
  candidate.unicast_servers[1].burst = true;  // only the VPN entry changes
  candidate.unicast_peers = {server("10.1.1.1")};
  Association v6;
  v6.kind = ServerKind::kIpv6;
  v6.address = "2001:db8::1";
  candidate.unicast_servers.push_back(v6);
  const ApplyPlan plan = plan_apply(running, candidate);
  ASSERT_EQ(plan.associations.size(), 4u);
  EXPECT_EQ(plan.associations[0].action, AssociationAction::kKeep);
  EXPECT_EQ(plan.associations[1].action, AssociationAction::kModify);
  EXPECT_EQ(plan.associations[1].candidate->vpn_instance, "blue");
  EXPECT_EQ(plan.associations[2].action, AssociationAction::kAdd);
  EXPECT_EQ(plan.associations[2].candidate->kind, ServerKind::kIpv6);
  EXPECT_EQ(plan.associations[3].action, AssociationAction::kAdd);
  EXPECT_EQ(plan.associations[3].mode, AssociationMode::kPeer);
  EXPECT_EQ(describe(plan),
            "modify server 10.1.1.1 vpn-instance blue (burst)\n"
            "add server ipv6 2001:db8::1\nadd peer 10.1.1.1\n");
}

TEST(ApplyPlan, GlobalSourceInterfaceChangeReplacesOnlyTheEntriesThatUseIt) {
  NtpConfig running = three_servers();
  running.unicast_servers[1].source_interface = "100GE1/0/2";  // own source: not affected
  running.unicast_servers[2].vpn_instance = "blue";            // other VPN: not affected
  running.source_interfaces = {{config::AddressFamily::kIpv4, "", "100GE1/0/1"}};
  NtpConfig candidate = running;
  candidate.source_interfaces[0].interface = "100GE1/0/3";
  const ApplyPlan plan = plan_apply(running, candidate);
  EXPECT_EQ(find(plan, "10.1.1.1")->action, AssociationAction::kReplace);
  EXPECT_EQ(find(plan, "10.1.1.1")->changed, static_cast<uint32_t>(kFieldEffectiveSource));
  EXPECT_EQ(find(plan, "10.1.1.2")->action, AssociationAction::kKeep);
  EXPECT_EQ(find(plan, "10.1.1.3")->action, AssociationAction::kKeep);
  EXPECT_EQ(plan.globals, std::vector<GlobalSetting>{GlobalSetting::kSourceInterfaces});
}

TEST(ApplyPlan, ReaddressedSourceInterfaceReplacesItsAssociations) {
  NtpConfig running = three_servers();
  running.unicast_servers[0].source_interface = "100GE1/0/1";
  running.interface_settings("100GE1/0/1").ipv4 = {{"10.0.0.1", 24}};
  running.interface_settings("100GE1/0/2").ipv4 = {{"10.0.1.1", 24}};
  NtpConfig candidate = running;
  candidate.interface_settings("100GE1/0/1").ipv4 = {{"10.0.0.9", 24}};
  ApplyPlan plan = plan_apply(running, candidate);
  EXPECT_EQ(find(plan, "10.1.1.1")->action, AssociationAction::kReplace);
  EXPECT_EQ(find(plan, "10.1.1.2")->action, AssociationAction::kKeep);
  EXPECT_EQ(plan.globals, std::vector<GlobalSetting>{GlobalSetting::kInterfaces});

  // An interface nobody sources from may change without touching any association.
  candidate = running;
  candidate.interface_settings("100GE1/0/2").ipv6_enable = true;
  plan = plan_apply(running, candidate);
  EXPECT_EQ(plan.count(AssociationAction::kKeep), 3u);
  EXPECT_TRUE(plan.has_global(GlobalSetting::kInterfaces));
}

TEST(ApplyPlan, EachGlobalSettingIsReportedOnItsOwn) {
  const NtpConfig running = three_servers();
  struct Case {
    void (*edit)(NtpConfig&);
    GlobalSetting expected;
  };
  const Case cases[] = {
      {[](NtpConfig& c) { c.sysname = "EDGE"; }, GlobalSetting::kSysname},
      {[](NtpConfig& c) {
         c.vpn_instances.push_back({"blue", true, false});
       },
       GlobalSetting::kVpnInstances},
      {[](NtpConfig& c) { c.ipv6_service_disable = true; }, GlobalSetting::kServiceDisable},
      {[](NtpConfig& c) { c.server_disable = true; }, GlobalSetting::kServerDisable},
      {[](NtpConfig& c) {
         c.keys[7] = {config::KeyMode::kHmacSha256, "secret"};
       },
       GlobalSetting::kAuthenticationKeys},
      {[](NtpConfig& c) { c.trusted_keys.insert(7); }, GlobalSetting::kTrustedKeys},
      {[](NtpConfig& c) { c.authentication_enable = true; }, GlobalSetting::kAuthenticationEnable},
      {[](NtpConfig& c) { c.refclock_master = config::RefclockMaster{}; },
       GlobalSetting::kRefclockMaster},
      {[](NtpConfig& c) {
         c.unsync_max_poll = config::UnsyncMaxPoll{7, 6};
       },
       GlobalSetting::kUnsyncMaxPoll},
      {[](NtpConfig& c) { c.max_distance = 3; }, GlobalSetting::kMaxDistance},
      {[](NtpConfig& c) { c.discard_avg_interval = 6; }, GlobalSetting::kDiscard},
      {[](NtpConfig& c) {
         c.access[config::AccessLevel::kPeer] = {"2000", false, "", false};
       },
       GlobalSetting::kAccess},
      {[](NtpConfig& c) { c.kod_enable = true; }, GlobalSetting::kKodEnable},
      {[](NtpConfig& c) { c.server_listen_all = true; }, GlobalSetting::kServerListening},
      {[](NtpConfig& c) { c.source_port = 5000; }, GlobalSetting::kSourcePort},
      {[](NtpConfig& c) { c.sync_interval = 300; }, GlobalSetting::kSyncInterval},
      {[](NtpConfig& c) { c.offset_limit = 100; }, GlobalSetting::kOffsetLimit},
      {[](NtpConfig& c) { c.max_dynamic_sessions = 10; }, GlobalSetting::kMaxDynamicSessions},
  };
  for (const Case& test : cases) {
    NtpConfig candidate = running;
    test.edit(candidate);
    const ApplyPlan plan = plan_apply(running, candidate);
    SCOPED_TRACE(std::string(to_string(test.expected)));
    EXPECT_EQ(plan.globals, std::vector<GlobalSetting>{test.expected});
    EXPECT_EQ(plan.count(AssociationAction::kKeep), 3u);
    EXPECT_EQ(describe(plan), "change " + std::string(to_string(test.expected)) + "\n");
  }
}

}  // namespace
}  // namespace wiretime::apply
