// Moved to dataplane/rx/ (pure, unit-tested without EAL); this forwarding header keeps older
// includes building.
#pragma once

#include "dataplane/rx/ring_records.hpp"
