#include "config/apply/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace wiretime::apply {
namespace {

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path,
                                                 const std::string& content) {
  mode_t mode = 0600;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;

  std::string temp = path + ".tmpXXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return errno_text("cannot create a temporary file next to " + path);
  auto fail = [&](const std::string& what) {
    std::string message = errno_text(what);
    ::close(fd);
    ::unlink(temp.c_str());
    return message;
  };
  if (::fchmod(fd, mode) != 0) return fail("cannot set permissions of " + temp);
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write " + temp);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot sync " + temp);
  if (::close(fd) != 0) {
    std::string message = errno_text("cannot close " + temp);
    ::unlink(temp.c_str());
    return message;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    std::string message = errno_text("cannot rename " + temp + " to " + path);
    ::unlink(temp.c_str());
    return message;
  }
  // The rename is durable only once the directory entry is on disk.
  const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir < 0) return errno_text("cannot open the directory of " + path);
  const int rc = ::fsync(dir);
  ::close(dir);
  if (rc != 0) return errno_text("cannot sync the directory of " + path);
  return std::nullopt;
}

std::optional<std::string> read_file(const std::string& path, std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return errno_text("cannot open " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  content = buffer.str();
  return std::nullopt;
}

}  // namespace wiretime::apply
