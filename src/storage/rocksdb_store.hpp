#pragma once
// The default, durable store: RocksDB (OptimisticTransactionDB) under a data
// directory. The write-ahead log is always on, so every acknowledged write
// survives kill -9 of the process; with `sync_every_commit` each commit also
// fsyncs the WAL (concurrent commits share one fsync: RocksDB group commit),
// so it survives power loss too.
//
// Thread-safety: as for every store (storage/store.hpp). The directory is
// locked while open: a second open_rocksdb of it fails with errc::io_error
// until the store is closed and every snapshot, iterator and transaction it
// handed out is gone (RocksDB itself shuts down only then).

#include <filesystem>
#include <memory>

#include "storage/store.hpp"

namespace stratus::storage {

struct rocksdb_options {
  std::filesystem::path directory;
  bool sync_every_commit = false;
};

[[nodiscard]] result<std::unique_ptr<store>> open_rocksdb(const rocksdb_options& options);

}  // namespace stratus::storage
