#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace collabgraph::ingest {

// A regular file read as a stream of bytes, decompressed when it is gzip (detected by its magic
// bytes, not its name).
class InputFile {
 public:
  // Opens `path`. Errors: NotFound when missing, InvalidArgument when `path` is not a regular
  // file (a directory, FIFO, device or socket: the message says which; such a file is never
  // read, and a FIFO never blocks); every message names the file.
  static absl::StatusOr<std::unique_ptr<InputFile>> Open(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Reads up to `n` bytes into `buf`; 0 at the end. DataLoss, naming the file and how many
  // bytes decompressed before the damage, when the gzip stream is corrupt or truncated.
  absl::StatusOr<size_t> Read(char* buf, size_t n);
  // The size of the file on disk (compressed), for a first guess of the text's size.
  size_t disk_size() const { return disk_size_; }
  const std::string& path() const { return path_; }
  // What was wrong with the gzip stream after Read failed with DataLoss; empty otherwise.
  const std::string& damage() const { return damage_; }

 private:
  InputFile() = default;
  std::string path_;
  void* file_ = nullptr;  // gzFile
  size_t disk_size_ = 0;
  size_t decompressed_ = 0;
  std::string damage_;
};

// Bytes of spare capacity ReadMaybeGzipFile leaves past the end of the text it returns: a JSON
// parser that reads a little past its input (simdjson reads up to 64 bytes) then parses the
// string where it is, without copying it into a padded buffer.
inline constexpr size_t kReadSlack = 64;

// Reads a whole regular file into memory, decompressing it when it is gzip (InputFile). With
// `truncated` given, a corrupt or truncated gzip stream is not an error: the bytes decompressed
// before the damage are returned and `*truncated` says what happened (it stays empty for an
// intact file). The string's capacity exceeds its size by at least kReadSlack.
absl::StatusOr<std::string> ReadMaybeGzipFile(const std::string& path,
                                              std::string* truncated = nullptr);

}  // namespace collabgraph::ingest
