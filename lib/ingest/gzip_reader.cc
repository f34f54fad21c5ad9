#include "ingest/gzip_reader.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include <zlib.h>

namespace collabgraph::ingest {

absl::StatusOr<std::string> ReadMaybeGzipFile(const std::string& path, std::string* truncated) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return absl::NotFoundError(path + ": no such file");
  if (!fs::is_regular_file(st)) return absl::InvalidArgumentError(path + ": not a regular file");

  // gzread reads gzip members and passes any other file through unchanged.
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (file == nullptr) return absl::UnavailableError(path + ": cannot open");
  gzbuffer(file.get(), 1 << 17);
  std::string out;
  const auto size = fs::file_size(path, ec);
  if (!ec) out.reserve(static_cast<size_t>(size) * 4);
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
