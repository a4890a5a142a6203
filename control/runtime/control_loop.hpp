// The control thread's loop body: feeds the ClientEngine with what the dataplane reports
// (request sent with its T1, reply received with its T4) and with timers, and carries out the
// engine's actions in order: requests go to the Transport, clock actions to the RuntimeClock,
// name resolution to the Resolver; every sample and clock update is reported to the observer.
// It never blocks and never reads a system clock: the caller runs it whenever an event arrives
// or the tick returned by run_due() is reached.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "control/auth/key_table.hpp"
#include "control/auth/ntp_mac.hpp"
#include "control/engine/client_engine.hpp"
#include "control/runtime/runtime_clock.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::runtime {

// Source interface "any": the route in the peer's VRF decides (dpdk::kAnyInterface).
inline constexpr uint16_t kAnyInterface = 0xffff;

// Where an association's requests go and its replies come from. A server is known by its VRF,
// address and port: the same address in two VRFs is two peers. The defaults (public network,
// any interface) are what a single-table transport like the kernel socket uses.
struct Peer {
  wire::IpAddress address;
  uint16_t port = 123;
  uint16_t vrf = 0;                    // l3::VrfId the server is reached in
  uint16_t interface = kAnyInterface;  // l3::InterfaceIndex requests leave from, or any
  bool operator==(const Peer&) const = default;
};

// Replies are demultiplexed by (VRF, address, port): the interface a reply arrived on need not
// be the configured source interface (asymmetric routes).
inline bool same_server(const Peer& a, const Peer& b) {
  return a.vrf == b.vrf && a.address == b.address && a.port == b.port;
}

// "198.18.0.1:123", "[2001:db8::1]:123", with "@vrfN" outside the public network (one word,
// so logs keep their columns).
std::string to_string(const Peer& peer);

// A client request as it goes on the wire, built and signed by the loop (issue 13 item 7): the
// header from wire::client_request_header (the one builder) and, for a keyed association, the
// MAC over it. The transport only moves it.
struct OutgoingRequest {
  engine::AssociationId association = 0;  // 0: a one-shot query
  wire::NtpHeader header;
  std::optional<auth::MacTrailer> mac;
  NtpTimestamp cookie() const { return header.transmit; }
};

// The header of the request the engine asked for.
inline wire::NtpHeader request_header(const engine::SendRequest& request) {
  return wire::client_request_header(request.version, request.poll, request.cookie, request.origin,
                                     request.receive);
}

class Transport {
 public:
  virtual ~Transport() = default;
  // Puts `request` on the wire; the true T1 comes back later as a kTransmitted event carrying
  // its cookie. False if it could not be queued.
  virtual bool send_request(const Peer& peer, const OutgoingRequest& request) = 0;
  // `ntp source-port`: the UDP port requests leave from from now on (none: the transport's
  // own choice, a random port). Error text when the transport cannot use it; then nothing
  // changed. A transport that cannot choose its port refuses every value.
  virtual std::optional<std::string> set_source_port(std::optional<uint16_t> port) {
    if (!port) return std::nullopt;
    return "this transport cannot choose its source port";
  }
};

// What a transport saw, handed to ControlLoop::deliver by the backend's event loop (the
// transport holds no reference to the loop).
struct TransportEvent {
  enum class Kind : uint8_t {
    kTransmitted,    // the request carrying `cookie` left at `ticks`
    kTransmitStamp,  // a better (hardware, kernel) T1 for a request already reported
    kNotSent,        // the request carrying `cookie` was dropped (no route, next hop)
    kReply,          // a server-mode packet from `from`, received at `ticks` (or `utc`)
  };
  Kind kind = Kind::kReply;
  NtpTimestamp cookie;
  uint64_t ticks = 0;
  std::optional<UnixNanos> utc;  // reply: T4 already on the UTC scale (a NIC stamping in UTC)
  Peer from;
  wire::NtpPacket packet;  // reply: decoded, with its MAC (has_mac, mac) where present
  // Reply: the whole UDP payload where the transport has it (the MAC then covers extension
  // fields too); empty when only the decoded header and MAC came through (the DPDK record).
  // Valid while deliver() runs.
  std::span<const uint8_t> datagram;
  bool mac_too_long = false;  // the MAC's digest was longer than the transport could keep
  engine::TimestampSource provenance = engine::TimestampSource::kUnknown;
};

// Domain-name servers: resolution happens off the hot path (control thread or a helper); the
// answer may come later through ControlLoop::on_resolved.
class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual void resolve(engine::AssociationId id, const std::string& name) = 0;
};

// One line of the measurements log: a reply and what became of it.
struct MeasurementRecord {
  UnixNanos time = 0;  // clock reading at T4
  engine::AssociationId association = 0;
  Peer peer;
  engine::OnWireReason reason = engine::OnWireReason::kOk;
  wire::NtpHeader header;
  NtpTimestamp t1, t4;
  double offset = 0.0;  // s, raw on-wire offset (before any correction for a slew in progress)
  double delay = 0.0;   // s
  double dispersion = 0.0;
  engine::TimestampSource provenance = engine::TimestampSource::kUnknown;
};

enum class ClockUpdateKind : uint8_t { kStep, kSlew, kFrequency, kLeap, kEnd };
const char* to_string(ClockUpdateKind kind);

// One line of the tracking log: a clock update and the system state after it.
struct TrackingRecord {
  UnixNanos time = 0;  // clock reading just before the update
  uint64_t ticks = 0;  // tick of `time`, so an observer can pair it with another clock
  ClockUpdateKind kind = ClockUpdateKind::kSlew;
  double correction = 0.0;  // s for step/slew, s/s for frequency
  engine::SystemStatus system;
  ClockInfo clock;
};

class RuntimeObserver {
 public:
  virtual ~RuntimeObserver() = default;
  virtual void on_measurement(const MeasurementRecord&) {}
  virtual void on_tracking(const TrackingRecord&) {}
  // A source's selection status changed (e.g. it became a falseticker), or it was added.
  virtual void on_source_status(const engine::AssociationStatus&,
                                std::optional<engine::SelectionStatus> /*previous*/) {}
  virtual void on_synchronization(bool /*synchronized*/, const engine::SystemStatus&) {}
  virtual void on_panic(double /*offset*/) {}
  virtual void on_send_failure(const Peer&) {}
};

// Per IP family (index 0 IPv4, 1 IPv6), for `display ntp statistics packet`: monotonic, like
// every counter here (a display's reset subtracts a baseline instead).
struct FamilyCounters {
  uint64_t requests = 0;
  uint64_t send_failures = 0;  // the transport refused, or the dataplane dropped the request
  uint64_t replies = 0;        // from a configured server
  uint64_t replies_unknown_source = 0;
  engine::OnWireCounters on_wire{};  // what the engine made of the replies of its servers
  uint64_t offset_limited = 0;       // of on_wire kOk: beyond `ntp offset-limit`
};

// A reply the engine rejected, newest last in RuntimeCounters::last_drops.
struct DropRecord {
  wire::IpVersion family = wire::IpVersion::kV4;
  bool unknown_source = false;  // from no configured server (then `reason` is unset)
  engine::OnWireReason reason = engine::OnWireReason::kOk;
};
inline constexpr size_t kLastDrops = 10;

// Why the daemon lost synchronisation (`display ntp event clock-unsync`), judged from the
// source it was synchronised to when the engine gave up.
enum class UnsyncReason : uint8_t {
  kReachabilityLost,      // the source stopped answering (reach 0)
  kAuthentication,        // its replies failed authentication since it was selected
  kSourceUnsynchronized,  // it answers but says it is unsynchronised (stratum 16 / leap 3)
  kSelection,             // it answers but the selection no longer accepts it
  kRemoved,               // its association was removed (commit)
};
const char* to_string(UnsyncReason reason);

// One loss of synchronisation, newest last in RuntimeCounters::last_unsyncs. Fixed size, so
// recording one allocates nothing.
struct UnsyncEvent {
  UnixNanos time = 0;                   // the daemon's clock when the loss was seen
  std::array<char, 48> source{};        // the lost system peer's address, NUL-terminated
  std::array<char, 32> vpn_instance{};  // its VRF ("" public), NUL-terminated
  bool configured = true;
  UnsyncReason reason = UnsyncReason::kSelection;
};
inline constexpr size_t kLastUnsyncs = 10;

// One-shot mode-3 query outside every association (`display ntp trace`): how it ended.
struct QueryResult {
  enum class Outcome : uint8_t { kAnswered, kTimedOut, kNotSent };
  Outcome outcome = Outcome::kTimedOut;
  Peer peer;
  wire::NtpHeader header;  // kAnswered: the server's reply
  // kAnswered: the engine's verdict on the reply (ClientEngine::measure_query) and, with T1
  // known, its sample: offset of the server against our clock and round-trip delay, s.
  engine::OnWireReason reason = engine::OnWireReason::kOk;
  bool measured = false;
  double offset = 0.0;
  double delay = 0.0;
};

struct RuntimeCounters {
  uint64_t requests = 0;
  uint64_t send_failures = 0;
  uint64_t transmitted_unmatched = 0;  // a T1 report for no outstanding request
  uint64_t not_sent = 0;               // requests the dataplane dropped
  uint64_t replies = 0;
  uint64_t replies_unknown_source = 0;  // from no configured peer
  // Replies of a keyed association whose MAC was missing or wrong (every one is rejected).
  uint64_t authentication_failures = 0;
  uint64_t clock_updates = 0;
  uint64_t panics = 0;
  std::array<FamilyCounters, 2> family{};
  // The last kLastDrops rejected replies (a ring; `drops` counts every one ever recorded).
  std::array<DropRecord, kLastDrops> last_drops{};
  uint64_t drops = 0;
  uint64_t queries = 0;  // one-shot queries sent
  // Requests of keyed associations not sent because they could not be signed, and the MAC
  // verdicts of replies from keyed associations (kOk included).
  uint64_t sign_failures = 0;
  std::array<uint64_t, static_cast<size_t>(auth::MacVerdict::kCount)> auth_verdicts{};
  // The last kLastUnsyncs losses of synchronisation (a ring; `unsyncs` counts every one).
  std::array<UnsyncEvent, kLastUnsyncs> last_unsyncs{};
  uint64_t unsyncs = 0;
};

// A snapshot for `display ntp status` / `display ntp sessions` and the daemon's status dump.
struct RuntimeStatus {
  engine::SystemStatus system;
  std::vector<engine::AssociationStatus> associations;
  ClockInfo clock;
  RuntimeCounters counters;
};

class ControlLoop {
 public:
  ControlLoop(const engine::EngineConfig& config, uint64_t seed, RuntimeClock& clock,
              Transport& transport, RuntimeObserver& observer, Resolver* resolver = nullptr);

  // Where a backend reaches a server: sets `peer.vrf` and `peer.interface` from the
  // association's vpn-instance and source-interface names, which only the backend's tables
  // number. Applied by add() and reconfigure(); none (the default): peers are used as given.
  using Placement = std::function<void(const engine::AssociationConfig&, Peer&)>;
  void set_placement(Placement placement) { placement_ = std::move(placement); }
  // The backend's tables changed (a commit's interfaces, VRFs, routes): every association is
  // placed again; `placed` gets each one whose address is known (to resolve its next hop).
  void place_again(
      const std::function<void(const engine::AssociationConfig&, const Peer&)>& placed = {});

  // `peer` is ignored for domain associations until they are resolved.
  engine::AssociationId add(const engine::AssociationConfig& config, const Peer& peer);
  void on_resolved(engine::AssociationId id, std::optional<Peer> peer);
  // Committed configuration changes: drop an association (a reply still in flight is then
  // from an unknown source), or change its options in place keeping its state.
  bool remove(engine::AssociationId id);
  bool reconfigure(engine::AssociationId id, const engine::AssociationConfig& config);
  // Committed global settings (max-distance, unsync polling, authentication enable); the
  // associations keep their state.
  void set_globals(const engine::EngineGlobals& globals) { engine_.set_globals(globals); }

  // Committed `ntp source-port`, handed to the transport (Transport::set_source_port).
  std::optional<std::string> set_source_port(std::optional<uint16_t> port) {
    return transport_.set_source_port(port);
  }

  // The keys requests are signed and replies verified with (null: none; keyed associations
  // then send nothing and accept nothing). Must outlive the loop or be replaced first.
  void set_keys(const auth::KeyTable* keys) { keys_ = keys; }
  // The key `id`'s requests are signed with, and the key a reply from `from` must carry
  // (0: none, the association is not authenticated or no association has that peer).
  uint32_t key_id(engine::AssociationId id) const;
  uint32_t key_id_of_peer(const Peer& from) const;

  // One transport event: dispatches to the calls below.
  void deliver(const TransportEvent& event);
  // The dataplane sent the request carrying `cookie`; `t1_ticks` is when it left.
  void on_transmitted(NtpTimestamp cookie, uint64_t t1_ticks);
  // A better (hardware) transmit time for a request already reported: replaces T1 while the
  // reply has not arrived yet.
  void on_transmit_stamp(NtpTimestamp cookie, uint64_t t1_ticks);
  // The dataplane dropped the request carrying `cookie` (no route, next hop unresolved).
  void on_not_sent(NtpTimestamp cookie);
  // A server-mode reply from `from`, received at `t4_ticks`. A keyed association's reply is
  // verified here: over `datagram` (the UDP payload) where given, else over the header and
  // `packet.mac`.
  void on_reply(const Peer& from, const wire::NtpPacket& packet, uint64_t t4_ticks,
                engine::TimestampSource provenance, std::span<const uint8_t> datagram = {},
                bool mac_too_long = false);
  // The same with T4 already on the clock's timescale (a NIC that stamps in UTC, a replay).
  void on_reply_at(const Peer& from, const wire::NtpPacket& packet, NtpTimestamp t4,
                   UnixNanos t4_utc, engine::TimestampSource provenance,
                   std::span<const uint8_t> datagram = {}, bool mac_too_long = false);

  // Sends one mode-3 request to `peer` through the transport, outside every association (no
  // engine state changes; its reply never reaches an association). `done` runs once, from
  // on_reply/on_not_sent/run_due: answered, not sent, or no answer within `timeout_s`. False
  // (and `done` never runs) when the transport refused it or kMaxQueries are outstanding.
  static constexpr size_t kMaxQueries = 16;
  using QueryDone = std::function<void(const QueryResult&)>;
  bool query(const Peer& peer, double timeout_s, QueryDone done);
  // Forgets outstanding queries without running their `done` (their owner is going away).
  void cancel_queries() { queries_.clear(); }
  // Where association `id` sends its requests (with the backend's VRF and interface).
  std::optional<Peer> peer_of(engine::AssociationId id) const;
  // The interface the last reply of `id` arrived on (kAnyInterface: none yet or not known).
  uint16_t rx_interface(engine::AssociationId id) const;

  // Runs the engine's due timers and the clock's due work; returns the tick to call it next.
  uint64_t run_due();

  engine::SteadyNanos steady(uint64_t ticks) const;
  uint64_t ticks_of(engine::SteadyNanos steady) const;
  RuntimeStatus status() const;
  const RuntimeCounters& counters() const { return counters_; }
  const engine::ClientEngine& engine() const { return engine_; }

 private:
  struct Entry {
    engine::AssociationId id = 0;
    Peer peer;
    bool resolved = true;
    uint32_t key_id = 0;
    std::string vpn_instance;  // as configured, for the unsync events
    std::optional<engine::SelectionStatus> last_selection;
    uint16_t rx_interface = kAnyInterface;
  };
  struct Query {
    Peer peer;
    NtpTimestamp cookie;
    NtpTimestamp t1;
    uint64_t deadline = 0;  // tick
    QueryDone done;
  };

  Entry* find(engine::AssociationId id);
  engine::AuthStatus verify(const Peer& from, const wire::NtpPacket& packet,
                            std::span<const uint8_t> datagram, bool mac_too_long);
  // Signs `request` with `key_id`; false when the key is unknown or the digest fails.
  bool sign(uint32_t key_id, OutgoingRequest& request) const;
  Entry* find_resolved(const Peer& peer);
  void execute(engine::Actions& actions);
  void report_changes();
  FamilyCounters& family(const Peer& peer) {
    return counters_.family[peer.address.version == wire::IpVersion::kV6 ? 1 : 0];
  }
  void record_drop(const Peer& from, bool unknown_source, engine::OnWireReason reason);
  // Delivers a reply to the one-shot query it answers; false when it answers none.
  bool answer_query(const Peer& from, const wire::NtpPacket& packet, NtpTimestamp t4);
  void finish_query(size_t index, QueryResult result);

  engine::Prng prng_;
  engine::ClientEngine engine_;
  RuntimeClock& clock_;
  Transport& transport_;
  RuntimeObserver& observer_;
  Resolver* resolver_;
  const auth::KeyTable* keys_ = nullptr;
  Placement placement_;
  uint64_t tick_origin_;
  double ticks_per_ns_;
  std::vector<Entry> entries_;
  engine::Actions actions_;
  bool synchronized_ = false;
  // The system peer while synchronised, filled in when it changes: what a loss records.
  struct SystemPeer {
    engine::AssociationId id = 0;
    UnsyncEvent event;             // source, VRF, configured
    uint64_t auth_rejections = 0;  // its authentication failures when it became system peer
  };
  SystemPeer system_peer_;
  void record_unsync(const std::vector<engine::AssociationStatus>& statuses);
  RuntimeCounters counters_;
  std::vector<Query> queries_;
};

}  // namespace wiretime::runtime
