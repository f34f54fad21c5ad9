#pragma once

// ParallelFor: runs fn(block) for every block in [0, blocks) on up to `threads` threads.
//
// Determinism is the caller's contract, not the scheduler's: blocks are handed out dynamically
// (an atomic counter), so which thread runs a block varies from run to run. Callers make their
// results independent of that by writing only to per-block (or per-vertex) slots and by
// combining per-block partial sums afterwards in block order, with a block partition that
// depends on the input size only — never on the thread count.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace collabgraph::analytics {

// The number of threads to use for a request of `requested` (0 = every hardware thread).
inline unsigned ResolveThreads(unsigned requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? hw : 1;
}

// Calls fn(block) once for each block in [0, blocks), on min(threads, blocks) threads
// (`threads` as in ResolveThreads). The first exception thrown by fn is rethrown here after
// every thread has stopped; blocks not yet started are then skipped.
template <typename Fn>
void ParallelFor(size_t blocks, unsigned threads, const Fn& fn) {
  const size_t workers = std::min<size_t>(ResolveThreads(threads), blocks);
  if (workers <= 1) {
    for (size_t b = 0; b < blocks; ++b) fn(b);
    return;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    try {
      for (size_t b = next++; b < blocks && !failed.load(); b = next++) fn(b);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (size_t t = 1; t < workers; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // fewer threads than asked for: the blocks still all run
    }
  }
  work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace collabgraph::analytics
