#include "config/display/ntp_trace_display.hpp"

#include "config/display/display_format.hpp"

namespace wiretime::display {

std::string render_ntp_trace(const engine::SystemStatus& system,
                             const std::vector<engine::AssociationStatus>& sessions) {
  // RFC 5905 root distance without the jitter and age terms, as ntptrace's "synch distance".
  std::string out = format("server 127.0.0.1, stratum %u, offset %.6f s, synch distance %.5f\n",
                           static_cast<unsigned>(system.stratum), system.clock_offset,
                           system.root_delay / 2 + system.root_dispersion);
  for (const engine::AssociationStatus& s : sessions) {
    if (!s.master) continue;
    out += format("server %s, stratum %u, offset %.6f s, synch distance %.5f\n", s.source.c_str(),
                  static_cast<unsigned>(s.stratum), s.offset, s.root_delay / 2 + s.root_dispersion);
    return out + "refid " + reference_id_raw(s.reference_id, s.stratum) + "\n";
  }
  return out + "refid " + reference_id_raw(system.reference_id, system.stratum) + "\n";
}

}  // namespace wiretime::display
