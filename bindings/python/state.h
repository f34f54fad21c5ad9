#pragma once

// The state a Python `Database` shares with the objects borrowed from it (snapshots, cursors),
// and the rules that keep a closed or concurrently used database from crashing the process.
//
// Locking. A DbState has one reader-writer lock. Every call into the library holds it shared,
// with the GIL released (so long calls let other Python threads run); `close()` takes it
// exclusive, so it waits for the calls in progress, then releases every borrower (cursors
// before their snapshots) and then the Database. A call that finds the Database closed raises
// ClosedError. Nothing that holds the lock ever waits for the GIL, so a thread may wait for
// the lock with the GIL held (destructors do) without a deadlock.
//
// Lifetime. The Python objects of snapshots and cursors hold a shared_ptr to the DbState, so the
// Database stays open while one of them is alive, until `close()` is called explicitly; what
// they borrow (the library's Snapshot and cursors) sits in a Borrower registered here, which
// Close releases before the Database and their destructors release otherwise (Retire).

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "collabgraph/database.h"

namespace collabgraph::python {

namespace py = pybind11;

// A library error on its way to Python; module.cc translates it into collabgraph.Error or the
// subclass of its code. Thrown with or without the GIL.
class StatusError : public std::exception {
 public:
  explicit StatusError(absl::Status status)
      : status_(std::move(status)), what_(status_.message()) {}
  const char* what() const noexcept override { return what_.c_str(); }
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
  std::string what_;
};

// Use of a closed Database or of an object borrowed from it: collabgraph.ClosedError.
class ClosedError : public std::exception {
 public:
  explicit ClosedError(std::string what) : what_(std::move(what)) {}
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string what_;
};

inline void ThrowIfError(const absl::Status& status) {
  if (!status.ok()) throw StatusError(status);
}

template <typename T>
T ValueOrThrow(absl::StatusOr<T> value) {
  ThrowIfError(value.status());
  return *std::move(value);
}

// What a snapshot or cursor holds of the Database: released by DbState::Close, or by
// DbState::Retire when its Python object goes away, whichever comes first.
class Borrower {
 public:
  virtual ~Borrower() = default;
  // Frees what the borrower holds of the Database (a snapshot also frees its cursors first).
  // Idempotent. Called with the lock held exclusively (Close, newest borrower first: cursors
  // before their snapshots) or shared (Retire).
  virtual void Release() = 0;
};

class DbState {
 public:
  DbState(std::unique_ptr<Database> db, std::string path, bool read_only);
  ~DbState();
  DbState(const DbState&) = delete;
  DbState& operator=(const DbState&) = delete;

  // Runs f(Database&) with the GIL released and the lock held shared; ClosedError when closed.
  // f must not touch Python objects.
  template <typename F>
  auto Use(F&& f) -> decltype(f(std::declval<Database&>())) {
    py::gil_scoped_release release;
    std::shared_lock lock(mu_);
    if (db_ == nullptr) throw ClosedError(ClosedMessage());
    return f(*db_);
  }

  // Waits for the calls in progress, releases every borrower, closes the Database. Idempotent.
  // Call with the GIL held (it is released while waiting).
  void Close();

  bool closed();
  // Whether Close has run, without taking the lock (for messages and quick checks).
  bool closed_flag() const { return closed_flag_; }
  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  std::string ClosedMessage() const { return "the database " + path_ + " is closed"; }

  // Registers a borrower, returning its ticket for Retire. Call with the lock held shared and
  // the Database open (that is, inside Use or under mutex()).
  uint64_t Register(std::shared_ptr<Borrower> borrower);
  // Releases a borrower unless Close did already. For destructors; any thread, GIL or not.
  void Retire(uint64_t ticket);

  // The lock, for borrowers: held shared around every use of what they borrowed.
  std::shared_mutex& mutex() { return mu_; }
  // Whether the Database is open; call with mutex() held.
  bool open_locked() const { return db_ != nullptr; }

 private:
  std::shared_mutex mu_;
  std::unique_ptr<Database> db_;  // null once closed
  std::atomic<bool> closed_flag_{false};
  const std::string path_;
  const bool read_only_;
  std::mutex borrowers_mu_;  // guards the two below; taken inside mu_, never around it
  uint64_t next_ticket_ = 0;
  // Newest first, so that Close releases cursors before the snapshots they read through.
  std::map<uint64_t, std::shared_ptr<Borrower>, std::greater<>> borrowers_;
};

}  // namespace collabgraph::python
