#pragma once

#include <cstddef>

namespace collabgraph {

// How to open a database. Plain struct; every field has a default.
struct OpenOptions {
  // Create an empty database when the directory does not exist. Default: true.
  bool create_if_missing = true;
  // Open for reading only, as a RocksDB secondary instance: works while another process
  // writes, and sees the database as of the open. No file in the directory is created or
  // changed. Default: false.
  bool read_only = false;
  // Shared block cache for reads, in bytes. Default: 64 MiB.
  size_t block_cache_bytes = size_t{64} << 20;
  // Memory all RocksDB memtables may use together, in bytes. Default: 128 MiB.
  size_t write_buffer_bytes = size_t{128} << 20;
};

}  // namespace collabgraph
