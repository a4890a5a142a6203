#include "dataplane/wire/kiss_code.hpp"

#include <array>
#include <utility>

namespace wiretime::wire {
namespace {

constexpr std::array<std::pair<KissCode, std::string_view>, 15> kCodes{{
    {KissCode::kAcst, "ACST"},
    {KissCode::kAuth, "AUTH"},
    {KissCode::kAuto, "AUTO"},
    {KissCode::kBcst, "BCST"},
    {KissCode::kCryp, "CRYP"},
    {KissCode::kDeny, "DENY"},
    {KissCode::kDrop, "DROP"},
    {KissCode::kRstr, "RSTR"},
    {KissCode::kInit, "INIT"},
    {KissCode::kMcst, "MCST"},
    {KissCode::kNkey, "NKEY"},
    {KissCode::kNtsn, "NTSN"},
    {KissCode::kRate, "RATE"},
    {KissCode::kRmot, "RMOT"},
    {KissCode::kStep, "STEP"},
}};

}  // namespace

KissCode kiss_code(uint8_t stratum, uint32_t refid) {
  if (stratum != 0 || refid == 0) return KissCode::kNone;
  for (const auto& [code, text] : kCodes) {
    if (refid_from_ascii(text) == refid) return code;
  }
  return KissCode::kUnknown;
}

std::string_view to_string(KissCode code) {
  for (const auto& [c, text] : kCodes) {
    if (c == code) return text;
  }
  return "";
}

}  // namespace wiretime::wire
