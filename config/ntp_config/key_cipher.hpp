#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wiretime::config {

// The `cipher` form of an authentication key as VRP saves it: `%+%#...%+%#`.
// This is an obfuscation that keeps secrets off screens and out of casual reads, NOT
// encryption: the daemon must recover the secret, and a fixed in-binary key protects nothing.
// The file's permissions (0600) are what protect the secret.
std::string encode_key_cipher(std::string_view secret);
// nullopt when the text is not a cipher this encoder produced (wrong frame, length, padding).
std::optional<std::string> decode_key_cipher(std::string_view cipher);

}  // namespace wiretime::config
