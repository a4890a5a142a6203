// MgmtHooks::apply on a live ControlLoop: global settings and keys take effect with the
// associations, all or nothing.
#include "control/daemon/mgmt_hooks.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "config/apply/apply_plan.hpp"
#include "tests/unit/daemon_mgmt/hooks_harness.hpp"

namespace wiretime::daemon {
namespace {

TEST(MgmtHooksGlobals, MaxDistanceUnsyncAndAuthenticationTakeEffectOnCommit) {
  Harness h;
  ASSERT_EQ(h.commit(with_server()), std::nullopt);
  const engine::AssociationId id = h.loop().engine().associations().front().id;
  config::NtpConfig c = with_server();
  c.max_distance = 5;
  c.unsync_max_poll = config::UnsyncMaxPoll{7, 3};
  c.authentication_enable = true;
  ASSERT_EQ(h.commit(c), std::nullopt);
  const engine::EngineGlobals g = h.loop().engine().globals();
  EXPECT_EQ(g.max_distance, 5.0);
  EXPECT_TRUE(g.unsync.configured);
  EXPECT_EQ(g.unsync.cap_exponent, 7);
  EXPECT_EQ(g.unsync.step_exponent, 3);
  EXPECT_TRUE(g.authentication_enabled);
  // The association was not touched.
  ASSERT_EQ(h.loop().engine().associations().size(), 1u);
  EXPECT_EQ(h.loop().engine().associations().front().id, id);

  ASSERT_EQ(h.commit(with_server()), std::nullopt);  // undo all three
  const engine::EngineGlobals d = h.loop().engine().globals();
  EXPECT_EQ(d.max_distance, 1.0);
  EXPECT_FALSE(d.unsync.configured);
  EXPECT_FALSE(d.authentication_enabled);
}

TEST(MgmtHooksGlobals, AFileKeyedServerNeedsNoAuthenticationEnable) {
  auth::KeyTable file_keys;
  ASSERT_EQ(file_keys.add(auth::SymmetricKey{3, auth::MacAlgorithm::kMd5, {'a', 'b', 'c'}, true}),
            "");
  Harness h(file_keys);
  config::NtpConfig c = with_server();
  c.unicast_servers.front().file_key_id = 4;  // not in the key file: refused
  EXPECT_NE(h.commit(c), std::nullopt);
  EXPECT_FALSE(h.loop().engine().globals().authentication_enabled);
  c.unicast_servers.front().file_key_id = 3;
  ASSERT_EQ(h.commit(c), std::nullopt);
  EXPECT_TRUE(h.loop().engine().globals().authentication_enabled);
  // VRP keys come and go; the key file's stay.
  c.keys[5] = config::AuthenticationKey{config::KeyMode::kMd5, "tulip"};
  ASSERT_EQ(h.commit(c), std::nullopt);
  EXPECT_NE(h.keys().find(3), nullptr);
  EXPECT_NE(h.keys().find(5), nullptr);
  c.keys.clear();
  ASSERT_EQ(h.commit(c), std::nullopt);
  EXPECT_NE(h.keys().find(3), nullptr);
  EXPECT_EQ(h.keys().find(5), nullptr);
}

TEST(MgmtHooksKeys, ANewKeyIsUsedForTheNextRequestAndARemovedOneNoLonger) {
  Harness h;
  ASSERT_EQ(h.commit(with_server()), std::nullopt);
  for (const auto& s : h.run(3)) EXPECT_EQ(s.key_id, 0u);

  config::NtpConfig keyed = with_server(7);
  keyed.keys[7] = config::AuthenticationKey{config::KeyMode::kMd5, "tulip"};
  keyed.trusted_keys.insert(7);
  keyed.authentication_enable = true;
  ASSERT_EQ(h.commit(keyed), std::nullopt);
  ASSERT_NE(h.keys().find(7), nullptr);
  const auto signed_requests = h.run(3);
  ASSERT_FALSE(signed_requests.empty());
  for (const auto& s : signed_requests) {
    EXPECT_EQ(s.key_id, 7u);
    EXPECT_EQ(s.length, 48u + 4u + 16u);  // MD5 MAC
  }

  // The key and its use go in one commit: requests are unsigned again, and key 7 is gone.
  ASSERT_EQ(h.commit(with_server()), std::nullopt);
  EXPECT_EQ(h.keys().find(7), nullptr);
  const auto plain = h.run(3);
  ASSERT_FALSE(plain.empty());
  for (const auto& s : plain) EXPECT_EQ(s.key_id, 0u);

  // The key alone removed while a server still names it: nothing signs with it any more.
  ASSERT_EQ(h.commit(keyed), std::nullopt);
  config::NtpConfig dangling = keyed;
  dangling.keys.clear();
  dangling.trusted_keys.clear();
  ASSERT_EQ(h.commit(dangling), std::nullopt);
  EXPECT_EQ(h.keys().find(7), nullptr);
  const uint64_t refused = h.loop().counters().sign_failures;
  EXPECT_TRUE(h.run(3).empty());  // the loop cannot sign them: none leaves
  EXPECT_GT(h.loop().counters().sign_failures, refused);
}

TEST(MgmtHooksKeys, ConfiguredKeysGetTheirModesAlgorithm) {
  Harness h;
  config::NtpConfig c = with_server(9);
  c.keys[9] = config::AuthenticationKey{config::KeyMode::kHmacSha256, "secret-nine"};
  ASSERT_EQ(h.commit(c), std::nullopt);
  ASSERT_EQ(h.keys().size(), 1u);
  EXPECT_EQ(h.keys().find(9)->algorithm, auth::MacAlgorithm::kHmacSha256);
  EXPECT_FALSE(h.keys().find(9)->trusted);  // no `ntp trusted authentication-keyid 9`
}

const engine::Association& association(const runtime::ControlLoop& loop, const char* address) {
  for (const engine::Association& a : loop.engine().associations()) {
    if (a.config.address == address) return a;
  }
  throw std::runtime_error(address);
}

// The real hooks on the real engine: an association the commit does not touch keeps its id,
// reach register, filter and poll schedule while others come and go and globals change; an
// in-place change keeps them as well.
TEST(MgmtHooksState, UnchangedAssociationsKeepTheirStateAcrossACommit) {
  Harness h;
  config::NtpConfig two;
  two.unicast_servers = {server("198.18.0.1"), server("198.18.0.3")};
  ASSERT_EQ(h.commit(two), std::nullopt);
  h.run(12, true);
  const engine::Association before = association(h.loop(), "198.18.0.1");
  ASSERT_NE(before.reach, 0);
  ASSERT_TRUE(before.have_reply);

  config::NtpConfig next;
  next.unicast_servers = {server("198.18.0.1"), server("198.18.0.4")};  // .3 out, .4 in
  next.max_distance = 4;
  next.unsync_max_poll = config::UnsyncMaxPoll{7, 6};
  next.keys[2] = config::AuthenticationKey{config::KeyMode::kMd5, "daisy"};
  ASSERT_EQ(h.commit(next), std::nullopt);
  const engine::Association& kept = association(h.loop(), "198.18.0.1");
  EXPECT_EQ(kept.id, before.id);
  EXPECT_EQ(kept.reach, before.reach);
  EXPECT_EQ(kept.received, before.received);
  EXPECT_EQ(kept.next_poll, before.next_poll);
  EXPECT_EQ(kept.filter.time(), before.filter.time());
  EXPECT_EQ(association(h.loop(), "198.18.0.4").received, 0u);

  config::NtpConfig modified = next;
  modified.unicast_servers[0].preferred = true;  // in place
  ASSERT_EQ(h.commit(modified), std::nullopt);
  const engine::Association& same = association(h.loop(), "198.18.0.1");
  EXPECT_EQ(same.id, before.id);
  EXPECT_EQ(same.reach, before.reach);
  EXPECT_TRUE(same.config.preferred);
  h.run(3, true);
  EXPECT_GT(association(h.loop(), "198.18.0.1").received, before.received);
}

TEST(MgmtHooksAtomic, ARefusedCommitChangesNeitherGlobalsNorKeysNorAssociations) {
  Harness h;
  config::NtpConfig keyed = with_server(7);
  keyed.keys[7] = config::AuthenticationKey{config::KeyMode::kMd5, "tulip"};
  ASSERT_EQ(h.commit(keyed), std::nullopt);
  const engine::AssociationId id = h.loop().engine().associations().front().id;

  // Globals and keys change too, but a server this daemon cannot run refuses it all.
  config::NtpConfig bad = keyed;
  bad.max_distance = 9;
  bad.keys[8] = config::AuthenticationKey{config::KeyMode::kMd5, "rose"};
  config::Association v6 = server("2001:db8::zz");
  v6.kind = config::ServerKind::kIpv6;
  bad.unicast_servers.push_back(v6);
  EXPECT_NE(h.commit(bad), std::nullopt);
  EXPECT_EQ(h.loop().engine().globals().max_distance, 1.0);
  EXPECT_EQ(h.keys().find(8), nullptr);
  ASSERT_NE(h.keys().find(7), nullptr);
  ASSERT_EQ(h.loop().engine().associations().size(), 1u);
  EXPECT_EQ(h.loop().engine().associations().front().id, id);
  EXPECT_EQ(h.hooks().running(), keyed);

  // A key the MAC code refuses (AES-128 needs 16 bytes) refuses the commit as well.
  config::NtpConfig short_key = keyed;
  short_key.max_distance = 9;
  short_key.keys[8] = config::AuthenticationKey{config::KeyMode::kAes128Cmac, "short"};
  EXPECT_NE(h.commit(short_key), std::nullopt);
  EXPECT_EQ(h.loop().engine().globals().max_distance, 1.0);
  EXPECT_EQ(h.keys().find(8), nullptr);
}

// What the backend cannot run (the socket backend: VPN instances) refuses the whole commit
// with the backend's words, before anything changes; start-up's commit goes the same way.
TEST(MgmtHooksRefuse, TheBackendsRefusalRefusesTheCommit) {
  Harness h;
  h.hooks().set_refuse([](const engine::AssociationConfig& c) {
    return c.vpn_instance.empty() ? std::string() : "no VPN instances here: " + c.address;
  });
  ASSERT_EQ(h.commit(with_server()), std::nullopt);
  config::NtpConfig vpn = with_server();
  vpn.max_distance = 9;
  config::Association in_vpn = server("198.18.0.9");
  in_vpn.vpn_instance = "red";
  vpn.unicast_servers.push_back(in_vpn);
  vpn.vpn_instances.push_back(config::VpnInstance{"red", true, false});
  EXPECT_EQ(h.commit(vpn), "no VPN instances here: 198.18.0.9");
  EXPECT_EQ(h.loop().engine().associations().size(), 1u);
  EXPECT_EQ(h.loop().engine().globals().max_distance, 1.0);
  EXPECT_EQ(h.hooks().running(), with_server());
  EXPECT_EQ(h.hooks().start(vpn), "no VPN instances here: 198.18.0.9");
}

// The same for the server's settings (the socket backend: physic-isolate).
TEST(MgmtHooksRefuse, TheBackendsServerRefusalRefusesTheCommit) {
  Harness h;
  h.hooks().set_refuse_server([](const config::NtpConfig& c) {
    return c.physic_isolate.empty() ? std::string() : std::string("no isolation here");
  });
  ASSERT_EQ(h.commit(with_server()), std::nullopt);
  config::NtpConfig isolated = with_server();
  isolated.max_distance = 9;
  isolated.physic_isolate = {{config::AddressFamily::kIpv4, "GE1/0/1", "198.18.0.2"}};
  EXPECT_EQ(h.commit(isolated), "no isolation here");
  EXPECT_EQ(h.loop().engine().globals().max_distance, 1.0);
  EXPECT_EQ(h.hooks().running(), with_server());
  EXPECT_EQ(h.hooks().start(isolated), "no isolation here");
  // --check-config asks the same rule.
  EXPECT_EQ(backend_refusal(isolated, {},
                            [](const config::NtpConfig& c) {
                              return c.physic_isolate.empty() ? std::string()
                                                              : std::string("no isolation here");
                            }),
            "no isolation here");
}

// `wiretimed --check-config` meets the backend's rule as start-up's commit does: the same words
// for the same file, the global source interface applied, a disabled family not run.
TEST(MgmtHooksRefuse, CheckConfigMeetsTheRefusalStartUpMeets) {
  const MgmtHooks::Refuse refuse = [](const engine::AssociationConfig& c) {
    return c.source_interface != "GE1/0/1" ? std::string() : "not from GE1/0/1: " + c.address;
  };
  config::NtpConfig running = with_server();
  EXPECT_EQ(backend_refusal(running, refuse), std::nullopt);
  running.source_interfaces.push_back(
      config::SourceInterface{config::AddressFamily::kIpv4, "", "GE1/0/1"});
  EXPECT_EQ(backend_refusal(running, refuse), "not from GE1/0/1: 198.18.0.1");
  Harness h;
  h.hooks().set_refuse(refuse);
  EXPECT_EQ(h.hooks().start(running), backend_refusal(running, refuse));
  running.service_disable = true;
  EXPECT_EQ(backend_refusal(running, refuse), std::nullopt);
  EXPECT_EQ(backend_refusal(running, {}), std::nullopt);
}

TEST(MgmtHooksToEngine, IpServersAndWhereTheyAreReached) {
  config::Association v6 = server("2001:db8::1");
  v6.kind = config::ServerKind::kIpv6;
  v6.vpn_instance = "red";
  v6.source_interface = "GE1/0/1.100";
  const auto converted = to_engine(v6, config::AssociationMode::kServer);
  ASSERT_EQ(converted.index(), 0u);
  const auto& [c, peer] = std::get<0>(converted);
  EXPECT_TRUE(c.ipv6);
  EXPECT_EQ(c.vpn_instance, "red");  // the backend's placement numbers it into peer.vrf
  EXPECT_EQ(c.source_interface, "GE1/0/1.100");
  wire::Ipv6Address expected;
  expected.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(peer.address, wire::IpAddress::from(expected));
  EXPECT_EQ(peer.port, 123);
}

TEST(MgmtHooksStartUp, TheRunningFilesGlobalsKeysAndServerOptionsTakeEffect) {
  clock::PublishedClock published;
  uint64_t ticks = kTick0;
  runtime::VirtualClock clock(published, clock::ClockModel::from_rate(kTick0, kUtc0, 1e9),
                              [&] { return ticks; });
  SigningTransport transport;
  runtime::RuntimeObserver observer;
  runtime::ControlLoop loop(engine::EngineConfig{}, 1, clock, transport, observer);
  auth::KeyTable keys;
  config::NtpConfig running;
  running.max_distance = 3;
  running.keys[4] = config::AuthenticationKey{config::KeyMode::kMd5, "lily"};
  config::Association a = server("198.18.0.1");
  a.iburst = true;
  a.preferred = true;
  a.key_id = 4;
  running.unicast_servers.push_back(a);
  std::vector<engine::AssociationId> added;
  MgmtHooks hooks(
      loop, config::NtpConfig{}, {}, [] { return kUtc0; }, {}, &keys, {}, {},
      [&](engine::AssociationId id, const engine::AssociationConfig&, const runtime::Peer&) {
        added.push_back(id);
      });
  // Start-up is a commit against an empty running configuration.
  ASSERT_EQ(hooks.start(running), std::nullopt);
  EXPECT_EQ(hooks.running(), running);
  EXPECT_EQ(loop.engine().globals().max_distance, 3.0);
  EXPECT_NE(keys.find(4), nullptr);
  ASSERT_EQ(loop.engine().associations().size(), 1u);
  const engine::Association& e = loop.engine().associations().front();
  EXPECT_EQ(added, std::vector<engine::AssociationId>{e.id});
  EXPECT_TRUE(e.config.iburst);
  EXPECT_TRUE(e.config.preferred);
  EXPECT_EQ(loop.key_id(e.id), 4u);
  // Nothing to change on the first commit of the same configuration.
  EXPECT_TRUE(apply::plan_apply(hooks.running(), running).associations.front().action ==
              apply::AssociationAction::kKeep);
}

}  // namespace
}  // namespace wiretime::daemon
