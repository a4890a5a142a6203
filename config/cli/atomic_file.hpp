#pragma once

// The crash-safe file writer moved to config/apply (the daemon writes its running file with
// it too); the shell keeps using it under its old names.
#include "config/apply/atomic_file.hpp"

namespace wiretime::cli {

using apply::read_file;
using apply::write_file_atomically;

}  // namespace wiretime::cli
