#include "control/engine/kiss_code.hpp"

#include <algorithm>

namespace wiretime::engine {

KissReaction kiss_reaction(wire::KissCode code, int hpoll, int packet_poll, int max_poll) {
  KissReaction r;
  if (wire::kiss_means_stop(code)) {
    r.stop = true;
  } else if (code == wire::KissCode::kRate) {
    r.raise_poll = true;
    r.new_poll = std::min(std::max(hpoll + 1, packet_poll), max_poll);
  }
  return r;
}

}  // namespace wiretime::engine
