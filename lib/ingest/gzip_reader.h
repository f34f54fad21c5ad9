#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace collabgraph::ingest {

// Reads a whole regular file into memory, decompressing it when it is gzip (detected by its
// magic bytes, not its name). Errors: NotFound when missing, InvalidArgument when `path` is
// not a regular file (a directory, FIFO, device or socket: the message says which; such a
// file is never read, and a FIFO never blocks), DataLoss when the gzip stream is corrupt or
// truncated; every message names the file, and for a corrupt stream how many bytes decompressed
// before it. With `truncated` given, a corrupt or truncated gzip stream is not an error: the bytes
// decompressed before the damage are returned and `*truncated` says what happened (it stays
// empty for an intact file).
absl::StatusOr<std::string> ReadMaybeGzipFile(const std::string& path,
                                              std::string* truncated = nullptr);

}  // namespace collabgraph::ingest
