#pragma once

#include <optional>
#include <string>

namespace wiretime::apply {

// Replaces `path` so that a crash at any instant leaves the old or the new content, never a
// mix: write a temporary file in the same directory, fsync it, rename over the target, fsync
// the directory. Keeps the target's permission bits (0600 for a new file: it holds keys).
// Returns an error text, or nullopt on success.
std::optional<std::string> write_file_atomically(const std::string& path,
                                                 const std::string& content);

std::optional<std::string> read_file(const std::string& path, std::string& content);

}  // namespace wiretime::apply
