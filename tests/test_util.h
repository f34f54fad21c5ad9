#pragma once

// Helpers shared by the unit tests.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace collabgraph::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "collabgraph-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to file `name` inside the directory and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    const std::string p = Sub(name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::string path_;
};

// The real data directory (../shared/data or $COLLABGRAPH_DATA at configure time).
inline std::string DataDir() { return COLLABGRAPH_DATA_DIR; }

// The stride of the fault-injection and power-loss tests: $COLLABGRAPH_FAULT_STRIDE, at least 1
// (tests/CMakeLists.txt sets it; the sanitizer build, several times slower, sets 3).
inline uint64_t FaultStride() {
  const char* env = std::getenv("COLLABGRAPH_FAULT_STRIDE");
  return std::max<uint64_t>(1, env != nullptr ? std::strtoull(env, nullptr, 10) : 1);
}

}  // namespace collabgraph::testing
