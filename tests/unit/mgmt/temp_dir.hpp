#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace wiretime::mgmt::test {

// A private directory under /tmp, removed with everything in it. Short, so that socket paths
// in it stay below the 108 bytes of sockaddr_un.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/wt-mgmt-XXXXXX";
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace wiretime::mgmt::test
