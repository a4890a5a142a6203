#include "control/engine/system_peer.hpp"

#include <gtest/gtest.h>

namespace wiretime::engine {
namespace {

Candidate cand(int id, int stratum, bool preferred = false) {
  Candidate c;
  c.id = id;
  c.stratum = stratum;
  c.preferred = preferred;
  return c;
}

TEST(SystemPeer, PreferredWinsUnlessLowerStratumSelected) {
  EXPECT_EQ(choose_system_peer(std::vector{cand(1, 2), cand(2, 2, true)}, -1), 1);
  // VRP rule: another selected source with a smaller stratum beats the preferred one.
  EXPECT_EQ(choose_system_peer(std::vector{cand(1, 1), cand(2, 2, true)}, -1), 0);
}

TEST(SystemPeer, KeepsPreviousWhileItSurvives) {
  EXPECT_EQ(choose_system_peer(std::vector{cand(1, 2), cand(2, 2)}, 2), 1);
  EXPECT_EQ(choose_system_peer(std::vector{cand(1, 1), cand(2, 2)}, 2), 0);
  EXPECT_EQ(choose_system_peer(std::vector<Candidate>{}, 2), -1);
}

}  // namespace
}  // namespace wiretime::engine
