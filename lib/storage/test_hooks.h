#pragma once

// Test-only hooks into the storage layer. Internal: nothing under include/collabgraph includes
// this header, and production code never calls it. Fault-injection tests use it to run the
// public API (Database::Open, Ingest, Check) on a file system that fails on purpose
// (docs/reliability.md, "Faults").

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace collabgraph::storage {

// Every Store opened after this call whose StoreOptions::env is null uses `env` instead of
// RocksDB's default environment, for all its file operations (the creation of a new database
// included). `env` is not owned and must outlive those stores; nullptr restores the default.
// Thread-safety: the pointer is atomic, but a test should set it while no Store is opening.
void SetDefaultEnvForTesting(rocksdb::Env* env);

// Every merge a bulk load starts during the load (Store::MaybeStartEdgeMerge) sleeps
// `milliseconds` before it merges, so that a test can make the next one due while it runs;
// 0 (the default) restores no delay.
void SetEdgeMergeDelayForTesting(int milliseconds);

}  // namespace collabgraph::storage
