#include "dataplane/wire/kiss_code.hpp"

#include <gtest/gtest.h>

namespace wiretime::wire {
namespace {

TEST(KissCode, RecognisesRegisteredCodesOnlyAtStratumZero) {
  EXPECT_EQ(refid_from_ascii("RATE"), 0x52415445u);
  EXPECT_EQ(kiss_code(0, refid_from_ascii("RATE")), KissCode::kRate);
  EXPECT_EQ(kiss_code(0, refid_from_ascii("DENY")), KissCode::kDeny);
  EXPECT_EQ(kiss_code(0, refid_from_ascii("RSTR")), KissCode::kRstr);
  EXPECT_EQ(kiss_code(0, refid_from_ascii("INIT")), KissCode::kInit);
  EXPECT_EQ(kiss_code(0, 0x53544550), KissCode::kStep);  // tcpdump-ntp.pcap frame 2
  EXPECT_EQ(kiss_code(0, refid_from_ascii("NTSN")), KissCode::kNtsn);
  EXPECT_EQ(kiss_code(1, refid_from_ascii("RATE")), KissCode::kNone);  // a stratum-1 refid
  EXPECT_EQ(kiss_code(0, 0), KissCode::kNone);
  EXPECT_EQ(kiss_code(0, refid_from_ascii("XYZW")), KissCode::kUnknown);
}

TEST(KissCode, NamesRoundTrip) {
  for (auto c :
       {KissCode::kAcst, KissCode::kAuth, KissCode::kAuto, KissCode::kBcst, KissCode::kCryp,
        KissCode::kDeny, KissCode::kDrop, KissCode::kRstr, KissCode::kInit, KissCode::kMcst,
        KissCode::kNkey, KissCode::kNtsn, KissCode::kRate, KissCode::kRmot, KissCode::kStep}) {
    const auto name = to_string(c);
    ASSERT_EQ(name.size(), 4u);
    EXPECT_EQ(kiss_code(0, refid_from_ascii(name)), c) << name;
  }
  EXPECT_EQ(to_string(KissCode::kNone), "");
  EXPECT_EQ(to_string(KissCode::kUnknown), "");
}

TEST(KissCode, StopCodes) {
  EXPECT_TRUE(kiss_means_stop(KissCode::kDeny));
  EXPECT_TRUE(kiss_means_stop(KissCode::kRstr));
  EXPECT_FALSE(kiss_means_stop(KissCode::kRate));
}

}  // namespace
}  // namespace wiretime::wire
