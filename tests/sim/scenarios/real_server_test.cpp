// Servers as real ones answer (issue 13 item 1): chronyd stamps T2 and T3 with random bits
// below its precision and takes next to no time between them, so T3 < T2 in about half of its
// replies. Every such reply is a valid exchange and must be used.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

uint64_t invalid_timestamps(const SimResult& r) {
  uint64_t n = 0;
  for (const auto& a : r.associations)
    n += a.on_wire[static_cast<size_t>(engine::OnWireReason::kInvalidTimestamps)];
  return n;
}

// The simulator's model itself: about half of a fuzzing zero-processing server's replies
// have T3 < T2, none with processing time well above its precision.
TEST(SimRealServer, FuzzedZeroProcessingServerSendsT3BeforeT2HalfTheTime) {
  ServerSpec spec;
  spec.precision = -24;
  spec.processing = 0.0;
  SimServer server(spec, 7);
  wire::NtpHeader request;
  request.mode = wire::NtpMode::kClient;
  request.version = 4;
  int negative = 0;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    double processing = -1.0;
    const auto reply =
        server.answer(request, i, 1'782'777'600'000'000'000 + i * 1'000'003, processing);
    ASSERT_TRUE(reply);
    EXPECT_EQ(processing, 0.0);
    const double d = (reply->transmit - reply->receive).to_seconds();
    EXPECT_LT(std::abs(d), 2.0 * std::ldexp(1.0, -24));
    if (d < 0) ++negative;
  }
  EXPECT_GT(negative, n * 4 / 10);
  EXPECT_LT(negative, n * 6 / 10);

  spec.processing = 10e-6;
  SimServer slow(spec, 7);
  double processing = 0.0;
  const auto reply = slow.answer(request, 0, 1'782'777'600'000'000'000, processing);
  ASSERT_TRUE(reply);
  EXPECT_NEAR((reply->transmit - reply->receive).to_seconds(), 10e-6, 0.2e-6);
}

TEST(SimRealServer, ChronydLikeServerEveryReplyUsed) {
  // anchor S1 servers answer like chronyd (precision 2^-24, zero processing, fuzzed stamps).
  const auto r = run(anchor_s1_lan(AnchorPoll::k16s, 1, 20000.0));
  EXPECT_EQ(invalid_timestamps(r), 0u);
  const auto& st = r.associations.at(0);
  EXPECT_EQ(st.sent, st.accepted);
  EXPECT_EQ(st.reach, 255);
  EXPECT_LT(r.rms, 2.5e-6);
}

TEST(SimRealServer, CoarsePrecisionAndVariableProcessingEveryReplyUsed) {
  // A server with a 1 ms clock (2^-10 s) fuzzing below it, and one with a variable processing
  // time of 0 + exp(20 us): both send valid exchanges only.
  for (int variant = 0; variant < 2; ++variant) {
    SCOPED_TRACE(variant);
    Scenario s = anchor_s1_lan(AnchorPoll::k16s, 2, 20000.0);
    if (variant == 0) {
      s.servers[0].precision = -10;
    } else {
      s.servers[0].processing_jitter = 20e-6;
    }
    const auto r = run(s);
    EXPECT_EQ(invalid_timestamps(r), 0u);
    const auto& st = r.associations.at(0);
    EXPECT_EQ(st.sent, st.accepted);
    EXPECT_TRUE(r.system.synchronized);
  }
}

}  // namespace
}  // namespace wiretime::sim
