// Client reaction to kiss-o'-death packets (RFC 5905 section 7.4; vrp-ntp-cli.md 6.9 and
// section 11 Q16): RATE raises the poll exponent by at least one, capped at maxpoll; DENY and
// RSTR stop polling the server; other codes are ignored.
#pragma once

#include "dataplane/wire/kiss_code.hpp"

namespace wiretime::engine {

struct KissReaction {
  bool stop = false;
  bool raise_poll = false;
  int new_poll = 0;  // poll exponent floor when raise_poll
};

// `hpoll` our current poll exponent, `packet_poll` the poll field of the kiss packet (a server
// may state the interval it wants), `max_poll` the association's maxpoll.
KissReaction kiss_reaction(wire::KissCode code, int hpoll, int packet_poll, int max_poll);

}  // namespace wiretime::engine
