// chrony's key file (chrony.conf(5), `keyfile`), so wiretime and chronyd can share keys:
//   # comment (a line whose first non-blank character is one of ! ; # %)
//   10 tulip                       -> MD5, ASCII secret
//   20 MD5 ASCII:crocus
//   25 SHA1 HEX:933F62BE1D604E68A81B557F18CFA200483F5B70
//   30 AES128 HEX:7EA62AE64D190114D46D5A082F948EC1
// Each line: decimal id, optional type (default MD5, exact chrony names), key as ASCII (optional
// `ASCII:` prefix) or `HEX:` digits. chronyd skips a bad line with a warning; so does this
// parser, reporting each skipped line with its position.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "control/auth/symmetric_key.hpp"

namespace wiretime::auth {

struct KeyFileDiagnostic {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, of the offending word
  std::string message;
  // "file:line:column: message"
  std::string to_string(std::string_view file) const;
};

struct KeyFileResult {
  std::vector<SymmetricKey> keys;  // in file order; a duplicate id keeps the first
  std::vector<KeyFileDiagnostic> diagnostics;
  bool ok() const { return diagnostics.empty(); }
};

KeyFileResult parse_chrony_key_file(std::string_view text);

// Reads and parses `path`. A file that cannot be read gives one diagnostic at line 0.
KeyFileResult load_chrony_key_file(const std::string& path);

// One key as a key-file line ("30 AES128 HEX:7EA6..."), e.g. for writing chronyd's key file in
// a test. HMAC-SHA256 has no chrony name and is written as such (chronyd would skip it).
std::string format_chrony_key(const SymmetricKey& key);

}  // namespace wiretime::auth
