#include "config/mgmt/mgmt_frame.hpp"

#include <gtest/gtest.h>

namespace wiretime::mgmt {
namespace {

TEST(MgmtFrame, RoundTripWhateverThePieces) {
  const Fields a = {"wt1", "commit", std::string("binary\0yaml\n", 12), ""};
  const Fields b = {};
  const Fields c = {std::string(100000, 'x')};
  const std::string stream = encode_frame(a) + encode_frame(b) + encode_frame(c);
  for (size_t piece : {size_t{1}, size_t{3}, size_t{4096}, stream.size()}) {
    FrameDecoder decoder;
    std::vector<Fields> got;
    for (size_t at = 0; at < stream.size(); at += piece) {
      decoder.feed(std::string_view(stream).substr(at, piece));
      while (auto fields = decoder.next()) got.push_back(*fields);
    }
    ASSERT_FALSE(decoder.failed());
    ASSERT_EQ(got.size(), 3u) << "piece " << piece;
    EXPECT_EQ(got[0], a);
    EXPECT_EQ(got[1], b);
    EXPECT_EQ(got[2], c);
    EXPECT_EQ(decoder.buffered(), 0u);
  }
}

TEST(MgmtFrame, PartialFrameWaits) {
  const std::string frame = encode_frame({"abc"});
  FrameDecoder decoder;
  decoder.feed(frame.substr(0, frame.size() - 1));
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_FALSE(decoder.failed());
  EXPECT_EQ(decoder.buffered(), frame.size() - 1);
  decoder.feed(frame.substr(frame.size() - 1));
  EXPECT_EQ(decoder.next(), Fields{"abc"});
}

TEST(MgmtFrame, OversizedFrameFailsBeforeBuffering) {
  FrameDecoder decoder;
  const uint32_t too_big = static_cast<uint32_t>(kMaxFrameBytes + 1);
  std::string header = {static_cast<char>(too_big >> 24), static_cast<char>(too_big >> 16),
                        static_cast<char>(too_big >> 8), static_cast<char>(too_big)};
  decoder.feed(header);
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_TRUE(decoder.failed());
  decoder.feed(encode_frame({"later"}));
  EXPECT_FALSE(decoder.next().has_value());  // a failed stream stays failed
}

TEST(MgmtFrame, InconsistentFieldLengthsFail) {
  // Payload of 8 bytes claiming one field of 100 bytes.
  const std::string bad = std::string("\0\0\0\x08\0\0\0\x01\0\0\0\x64", 12);
  FrameDecoder decoder;
  decoder.feed(bad);
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_TRUE(decoder.failed());

  // Trailing bytes after the declared fields.
  std::string frame = encode_frame({"a"});
  frame[3] = static_cast<char>(frame[3] + 1);
  frame += "z";
  FrameDecoder trailing;
  trailing.feed(frame);
  EXPECT_FALSE(trailing.next().has_value());
  EXPECT_TRUE(trailing.failed());

  FrameDecoder tiny;
  tiny.feed(std::string("\0\0\0\x02xy", 6));  // shorter than its own field count
  EXPECT_FALSE(tiny.next().has_value());
  EXPECT_TRUE(tiny.failed());
}

}  // namespace
}  // namespace wiretime::mgmt
