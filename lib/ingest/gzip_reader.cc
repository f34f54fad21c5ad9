#include "ingest/gzip_reader.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace collabgraph::ingest {

namespace {

// What a file that is not a regular file is, for the message.
const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

absl::Status NotRegular(const std::string& path, mode_t mode) {
  return absl::InvalidArgumentError(path + ": not a regular file (it is " + KindOf(mode) +
                                    "); inputs must be regular files");
}

}  // namespace

absl::StatusOr<std::string> ReadMaybeGzipFile(const std::string& path, std::string* truncated) {
  // Inputs must be regular files: a FIFO would block the read forever, a device could be
  // endless or have side effects. The name is checked first, so nothing else is even opened;
  // then the file is opened without blocking (open(2) of a FIFO waits for a writer) and what
  // was opened is checked again, so a name swapped for a FIFO or device in between cannot
  // hang or redirect the read.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return absl::NotFoundError(path + ": no such file");
    return absl::UnavailableError(path + ": cannot open: " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return NotRegular(path, st.st_mode);
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError(path + ": no such file");
    return absl::UnavailableError(path + ": cannot open: " + std::strerror(errno));
  }
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const mode_t mode = st.st_mode;
    ::close(fd);
    return NotRegular(path, mode);
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);

  // gzread reads gzip members and passes any other file through unchanged. gzclose closes fd;
  // a failed gzdopen leaves it open.
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzdopen(fd, "rb"), gzclose);
  if (file == nullptr) {
    ::close(fd);
    return absl::UnavailableError(path + ": cannot open");
  }
  gzbuffer(file.get(), 1 << 17);
  std::string out;
  out.reserve(static_cast<size_t>(st.st_size) * 4);
  char buf[1 << 16];
  while (true) {
    const int n = gzread(file.get(), buf, sizeof buf);
    if (n < 0) break;
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  // gzread returns 0 both at a clean end and at a truncated gzip stream; gzerror tells apart.
  int errnum = 0;
  const char* msg = gzerror(file.get(), &errnum);
  if (errnum != Z_OK && errnum != Z_STREAM_END) {
    const std::string what = std::string("gzip stream corrupt or truncated after ") +
                             std::to_string(out.size()) + " decompressed bytes (" +
                             (msg ? msg : "zlib error") + ")";
    if (truncated == nullptr) return absl::DataLossError(path + ": cannot decompress: " + what);
    *truncated = what;
  }
  return out;
}

}  // namespace collabgraph::ingest
