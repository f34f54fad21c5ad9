#pragma once

// A RocksDB file system for tests that stops a writer at a file of its choosing.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "rocksdb/file_system.h"

namespace collabgraph::testing {

// Holds the creation of every file whose name `held` accepts while the gate is closed, and
// refuses it (an I/O error, "gate: file refused") once Fail() was called. A test closes the
// gate, waits until a writer stands at it (AwaitWaiter), then opens or fails it.
class GateFileSystem : public rocksdb::FileSystemWrapper {
 public:
  GateFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base,
                 std::function<bool(const std::string&)> held)
      : FileSystemWrapper(base), held_(std::move(held)) {}
  const char* Name() const override { return "GateFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override {
    if (held_(f)) {
      std::unique_lock<std::mutex> lock(mutex_);
      ++waiting_;
      changed_.notify_all();
      changed_.wait(lock, [this] { return open_ || failing_; });
      --waiting_;
      if (failing_) return rocksdb::IOStatus::IOError("gate: file refused", f);
    }
    return target()->NewWritableFile(f, options, r, dbg);
  }

  void Set(bool open) {
    const std::lock_guard<std::mutex> lock(mutex_);
    open_ = open;
    changed_.notify_all();
  }
  void Fail() {
    const std::lock_guard<std::mutex> lock(mutex_);
    failing_ = true;
    changed_.notify_all();
  }
  // Returns once a writer waits at the closed gate.
  void AwaitWaiter() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return waiting_ > 0; });
  }

 private:
  std::function<bool(const std::string&)> held_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  bool failing_ = false;
  int waiting_ = 0;
};

}  // namespace collabgraph::testing
