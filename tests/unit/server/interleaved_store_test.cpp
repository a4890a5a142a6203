#include "dataplane/server/interleaved_store.hpp"

#include <gtest/gtest.h>

#include "dataplane/server/ntp_server_stage.hpp"

namespace wiretime::server {
namespace {

NtpTimestamp ts(uint64_t raw) {
  return NtpTimestamp::from_raw(raw);
}

TEST(InterleavedStore, FindsWhatWasSaved) {
  InterleavedStore store(1000);
  EXPECT_EQ(store.capacity(), 1024u);  // rounded up to a power of two
  EXPECT_FALSE(store.find(ts(0xe900000000000001)));
  store.save(ts(0xe900000000000001), ts(0xe900000000100000));
  store.save(ts(0xe900000000000002), ts(0xe900000000200000));  // same burst, next T2
  EXPECT_EQ(store.find(ts(0xe900000000000001)), ts(0xe900000000100000));
  EXPECT_EQ(store.find(ts(0xe900000000000002)), ts(0xe900000000200000));
  EXPECT_FALSE(store.find(ts(0xe900000000000003)));
}

TEST(InterleavedStore, IsBoundedAndForgetsTheOldest) {
  InterleavedStore store(64);
  for (uint64_t i = 1; i <= 10'000; ++i) store.save(ts(i << 20), ts((i << 20) + 7));
  EXPECT_EQ(store.capacity(), 64u);
  size_t remembered = 0;
  for (uint64_t i = 1; i <= 10'000; ++i) {
    if (auto tx = store.find(ts(i << 20))) {
      EXPECT_EQ(tx->raw(), (i << 20) + 7);  // never another entry's TX
      ++remembered;
    }
  }
  EXPECT_LE(remembered, 64u);
  EXPECT_TRUE(store.find(ts(10'000ull << 20)));  // the newest is always there
}

// The kernel's stamp of a reply, learnt after it left, replaces the lcore's estimate; an entry a
// later reply has displaced stays displaced.
TEST(InterleavedStore, CorrectsOnlyAnEntryStillThere) {
  InterleavedStore store(64);
  store.save(ts(1ull << 20), ts((1ull << 20) + 7));
  EXPECT_TRUE(store.correct(ts(1ull << 20), ts((1ull << 20) + 5)));
  EXPECT_EQ(store.find(ts(1ull << 20)), ts((1ull << 20) + 5));
  EXPECT_FALSE(store.correct(ts(2ull << 20), ts(9)));  // never saved: not created
  EXPECT_FALSE(store.find(ts(2ull << 20)));
  // Fill the table until the first entry's slot holds another reply.
  uint64_t other = 3;
  while (store.find(ts(1ull << 20))) store.save(ts(other++ << 20), ts(1));
  const uint64_t displacer = (other - 1) << 20;
  EXPECT_FALSE(store.correct(ts(1ull << 20), ts(2)));
  EXPECT_EQ(store.find(ts(displacer)), ts(1));  // the newer entry is untouched
  EXPECT_FALSE(store.correct(ts(0), ts(2)));
}

TEST(InterleavedStore, ZeroIsNotATimestampAndZeroEntriesDisables) {
  InterleavedStore store(16);
  store.save(ts(0), ts(5));
  EXPECT_FALSE(store.find(ts(0)));
  InterleavedStore off(0);
  EXPECT_FALSE(off.enabled());
  off.save(ts(1), ts(2));
  EXPECT_FALSE(off.find(ts(1)));
}

TEST(InterleavedTransmit, OnlyWhenTheOriginNamesASavedReceiveTimestamp) {
  InterleavedStore store(16);
  const NtpTimestamp t2_prev = ts(0xe900000000000100), tx_prev = ts(0xe900000000000900);
  store.save(t2_prev, tx_prev);
  wire::NtpHeader request;
  request.origin = t2_prev;
  request.receive = ts(0x1111);   // client's RX of our previous reply
  request.transmit = ts(0x2222);  // client's cookie
  const NtpTimestamp t2 = ts(0xe900000100000000);
  EXPECT_EQ(interleaved_transmit(request, &store, t2), tx_prev);
  EXPECT_FALSE(interleaved_transmit(request, nullptr, t2));
  request.origin = ts(0xe900000000000101);  // not saved: basic
  EXPECT_FALSE(interleaved_transmit(request, &store, t2));
  request.origin = ts(0);  // a first request
  EXPECT_FALSE(interleaved_transmit(request, &store, t2));
  request.origin = t2_prev;
  request.receive = t2_prev;  // origin == receive: not an interleaved request (RFC 9769)
  EXPECT_FALSE(interleaved_transmit(request, &store, t2));
  request.receive = ts(0x1111);
  request.transmit = t2_prev;  // origin == transmit: a symmetric/basic echo
  EXPECT_FALSE(interleaved_transmit(request, &store, t2));
  request.transmit = ts(0x2222);
  EXPECT_FALSE(interleaved_transmit(request, &store, tx_prev));  // never TX == RX
}

}  // namespace
}  // namespace wiretime::server
