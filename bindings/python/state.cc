#include "state.h"

namespace collabgraph::python {

DbState::DbState(std::unique_ptr<Database> db, std::string path, bool read_only)
    : db_(std::move(db)), path_(std::move(path)), read_only_(read_only) {}

// Reached when the Python Database and every snapshot and cursor are gone; each of those retired
// its borrower, so only the Database is left to close.
DbState::~DbState() = default;

void DbState::Close() {
  std::map<uint64_t, std::shared_ptr<Borrower>, std::greater<>> borrowers;
  py::gil_scoped_release release;
  std::unique_lock lock(mu_);
  if (db_ == nullptr) return;
  {
    std::lock_guard registry(borrowers_mu_);
    borrowers.swap(borrowers_);
  }
  for (auto& [ticket, borrower] : borrowers) borrower->Release();  // newest first
  db_.reset();
  closed_flag_ = true;
}

bool DbState::closed() {
  py::gil_scoped_release release;
  std::shared_lock lock(mu_);
  return db_ == nullptr;
}

uint64_t DbState::Register(std::shared_ptr<Borrower> borrower) {
  std::lock_guard registry(borrowers_mu_);
  const uint64_t ticket = next_ticket_++;
  borrowers_.emplace(ticket, std::move(borrower));
  return ticket;
}

void DbState::Retire(uint64_t ticket) {
  std::shared_lock lock(mu_);
  std::shared_ptr<Borrower> borrower;
  {
    std::lock_guard registry(borrowers_mu_);
    auto it = borrowers_.find(ticket);
    if (it == borrowers_.end()) return;  // Close released it
    borrower = std::move(it->second);
    borrowers_.erase(it);
  }
  borrower->Release();
}

}  // namespace collabgraph::python
