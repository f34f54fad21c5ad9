#include "ingest/gzip_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util/status_macros.h"

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

absl::StatusOr<std::unique_ptr<InputFile>> InputFile::Open(const std::string& path) {
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
  gzFile file = gzdopen(fd, "rb");
  if (file == nullptr) {
    ::close(fd);
    return absl::UnavailableError(path + ": cannot open");
  }
  gzbuffer(file, 1 << 17);
  std::unique_ptr<InputFile> in(new InputFile());
  in->path_ = path;
  in->file_ = file;
  in->disk_size_ = static_cast<size_t>(st.st_size);
  return in;
}

InputFile::~InputFile() {
  if (file_ != nullptr) gzclose(static_cast<gzFile>(file_));
}

absl::StatusOr<size_t> InputFile::Read(char* buf, size_t n) {
  auto* file = static_cast<gzFile>(file_);
  const int want = static_cast<int>(std::min<size_t>(n, 1 << 30));
  const int got = want == 0 ? 0 : gzread(file, buf, static_cast<unsigned>(want));
  if (got > 0) {
    decompressed_ += static_cast<size_t>(got);
    return static_cast<size_t>(got);
  }
  // gzread returns 0 both at a clean end and at a truncated gzip stream; gzerror tells apart.
  int errnum = 0;
  const char* msg = gzerror(file, &errnum);
  if (got < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
    damage_ = "gzip stream corrupt or truncated after " + std::to_string(decompressed_) +
              " decompressed bytes (" + (msg ? msg : "zlib error") + ")";
    return absl::DataLossError(path_ + ": cannot decompress: " + damage_);
  }
  return size_t{0};
}

absl::StatusOr<std::string> ReadMaybeGzipFile(const std::string& path, std::string* truncated) {
  COLLABGRAPH_ASSIGN_OR_RETURN(std::unique_ptr<InputFile> file, InputFile::Open(path));
  std::string out;
  out.reserve(file->disk_size() * 4);
  char buf[1 << 16];
  while (true) {
    absl::StatusOr<size_t> n = file->Read(buf, sizeof buf);
    if (!n.ok()) {
      if (truncated == nullptr || file->damage().empty()) return n.status();
      *truncated = file->damage();
      break;
    }
    if (*n == 0) break;
    out.append(buf, *n);
  }
  return out;
}

}  // namespace collabgraph::ingest
