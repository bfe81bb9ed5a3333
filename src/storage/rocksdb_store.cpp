#include "storage/rocksdb_store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/optimistic_transaction_db.h>
#include <rocksdb/utilities/transaction.h>
#include <rocksdb/write_batch.h>

#include <mutex>
#include <shared_mutex>
#include <system_error>
#include <utility>
#include <vector>

#include "storage/failed.hpp"

namespace stratus::storage {
namespace {

namespace rdb = ::rocksdb;
using db_ptr = std::shared_ptr<rdb::OptimisticTransactionDB>;

// Ownership: the store and everything it hands out (snapshots, iterators,
// transactions) share one `engine` and hold their own reference to the
// RocksDB instance. close() drops the engine's reference, so RocksDB shuts
// down as soon as the last outstanding object is gone, and never while one
// of them still points into it. Every call takes `mutex` shared and checks
// `db` first; close() takes it exclusive, so it waits for calls in flight
// and every call after it answers errc::closed.
struct engine {
  std::shared_mutex mutex;
  db_ptr db;  // null once closed
  rdb::WriteOptions write_options;
};

error to_error(const rdb::Status& s) {
  // Busy: a tracked key changed since the snapshot. TryAgain: the memtable
  // history no longer reaches back to the snapshot, so RocksDB cannot tell;
  // both mean "retry the transaction", the first after backing off.
  if (s.IsBusy()) return {errc::conflict, s.ToString()};
  if (s.IsTryAgain()) return {errc::try_again, s.ToString()};
  if (s.IsCorruption()) return {errc::corruption, s.ToString()};
  return {errc::io_error, s.ToString()};
}

result<std::optional<std::string>> to_value(const rdb::Status& s, std::string&& value) {
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return to_error(s);
  return std::optional<std::string>(std::move(value));
}

class rocksdb_snapshot final : public snapshot {
 public:
  explicit rocksdb_snapshot(db_ptr db) : db_(std::move(db)), snapshot_(db_->GetSnapshot()) {}
  ~rocksdb_snapshot() override { db_->ReleaseSnapshot(snapshot_); }
  rocksdb_snapshot(const rocksdb_snapshot&) = delete;
  rocksdb_snapshot& operator=(const rocksdb_snapshot&) = delete;

  const rdb::Snapshot* get() const { return snapshot_; }
  const rdb::DB* owner() const { return db_.get(); }

 private:
  db_ptr db_;
  const rdb::Snapshot* snapshot_;
};

result<rdb::ReadOptions> to_read_options(const read_options& opts, const rdb::DB* db) {
  rdb::ReadOptions ro;
  if (opts.at != nullptr) {
    const auto* s = dynamic_cast<const rocksdb_snapshot*>(opts.at);
    if (s == nullptr || s->owner() != db) {
      return error{errc::io_error, "the snapshot belongs to another store"};
    }
    ro.snapshot = s->get();
  }
  return ro;
}

// The RocksDB iterator fixes its read sequence number when created, so it
// needs nothing from `ro.snapshot` afterwards: a scan may outlive the snapshot
// or transaction it was taken from.
class rocksdb_iterator final : public iterator {
 public:
  rocksdb_iterator(std::shared_ptr<engine> engine, db_ptr db, key_range range, rdb::ReadOptions ro)
      : engine_(std::move(engine)), db_(std::move(db)), range_(std::move(range)) {
    // The bounds let RocksDB skip whole files and stop at the range end
    // instead of us comparing every key.
    lower_ = range_.begin;
    upper_ = range_.end;
    ro.iterate_lower_bound = &lower_;  // "" bounds nothing
    if (!range_.end.empty()) ro.iterate_upper_bound = &upper_;
    it_.reset(db_->NewIterator(ro));
    if (!range_.end.empty() && range_.begin >= range_.end) return;  // empty range: stay invalid
    if (range_.reverse) {
      it_->SeekToLast();  // with an upper bound: the last key < end
    } else {
      it_->Seek(range_.begin);
    }
  }

  bool valid() const override { return !closed_ && it_->Valid(); }
  std::string_view key() const override { return to_view(it_->key()); }
  std::string_view value() const override { return to_view(it_->value()); }

  void next() override {
    if (!valid()) return;  // RocksDB forbids Next() on an invalid iterator
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) {
      closed_ = true;
      return;
    }
    if (range_.reverse) {
      it_->Prev();
    } else {
      it_->Next();
    }
  }

  result<void> status() const override {
    if (closed_) return closed_error();
    if (auto s = it_->status(); !s.ok()) return to_error(s);
    return {};
  }

 private:
  static std::string_view to_view(const rdb::Slice& s) { return {s.data(), s.size()}; }

  std::shared_ptr<engine> engine_;
  db_ptr db_;  // declared before it_: the iterator must die first
  key_range range_;
  rdb::Slice lower_;  // views of range_, which RocksDB reads while iterating
  rdb::Slice upper_;
  std::unique_ptr<rdb::Iterator> it_;
  bool closed_ = false;
};

// An optimistic transaction with its snapshot set at begin, so that every key
// it reads (GetForUpdate) or writes is checked at commit against writes
// committed since begin, and its reads are repeatable.
class rocksdb_transaction final : public transaction {
 public:
  rocksdb_transaction(std::shared_ptr<engine> engine, db_ptr db)
      : engine_(std::move(engine)), db_(std::move(db)) {
    rdb::OptimisticTransactionOptions options;
    options.set_snapshot = true;
    txn_.reset(db_->BeginTransaction(engine_->write_options, options));
  }

  result<std::optional<std::string>> get(std::string_view key) override {
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) return closed_error();
    std::string value;
    return to_value(txn_->GetForUpdate(snapshot_read(), key, &value), std::move(value));
  }

  std::unique_ptr<iterator> scan(const key_range& range) override {
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) return make_failed_iterator(closed_error());
    // The base DB, not txn_->GetIterator: scans do not see buffered writes.
    return std::make_unique<rocksdb_iterator>(engine_, db_, range, snapshot_read());
  }

  void put(std::string_view key, std::string_view value) override {
    remember(txn_->Put(key, value));
  }

  void erase(std::string_view key) override { remember(txn_->Delete(key)); }

  result<void> commit() override {
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) return closed_error();
    if (committed_) return error{errc::io_error, "the transaction was already committed"};
    committed_ = true;
    if (deferred_) return *deferred_;
    if (auto s = txn_->Commit(); !s.ok()) return to_error(s);
    return {};
  }

 private:
  rdb::ReadOptions snapshot_read() const {
    rdb::ReadOptions ro;
    ro.snapshot = txn_->GetSnapshot();
    return ro;
  }

  // put() and erase() cannot report; a failure surfaces at commit instead.
  void remember(const rdb::Status& s) {
    if (!s.ok() && !deferred_) deferred_ = to_error(s);
  }

  std::shared_ptr<engine> engine_;
  db_ptr db_;  // declared before txn_: the transaction must die first
  std::unique_ptr<rdb::Transaction> txn_;
  std::optional<error> deferred_;
  bool committed_ = false;
};

class rocksdb_store final : public store {
 public:
  explicit rocksdb_store(std::shared_ptr<engine> engine) : engine_(std::move(engine)) {}
  ~rocksdb_store() override { close(); }
  rocksdb_store(const rocksdb_store&) = delete;
  rocksdb_store& operator=(const rocksdb_store&) = delete;

  result<std::optional<std::string>> get(std::string_view key, const read_options& opts) override {
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) return closed_error();
    auto ro = to_read_options(opts, engine_->db.get());
    if (!ro) return ro.error();
    std::string value;
    return to_value(engine_->db->Get(*ro, key, &value), std::move(value));
  }

  std::unique_ptr<iterator> scan(const key_range& range, const read_options& opts) override {
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) return make_failed_iterator(closed_error());
    auto ro = to_read_options(opts, engine_->db.get());
    if (!ro) return make_failed_iterator(ro.error());
    return std::make_unique<rocksdb_iterator>(engine_, engine_->db, range, *ro);
  }

  std::shared_ptr<const snapshot> take_snapshot() override {
    std::shared_lock lock(engine_->mutex);
    // A closed store has nothing to snapshot; reads with this one answer
    // errc::closed like every other call.
    if (!engine_->db) return std::make_shared<snapshot>();
    return std::make_shared<rocksdb_snapshot>(engine_->db);
  }

  std::unique_ptr<transaction> begin() override {
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) return make_failed_transaction(closed_error());
    return std::make_unique<rocksdb_transaction>(engine_, engine_->db);
  }

  result<void> write(const write_batch& batch) override {
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) return closed_error();
    if (batch.ops.empty()) return {};
    // A plain write, safe beside transactions because they validate serially
    // inside RocksDB's write group (see open_rocksdb): a blind write is
    // either before a transaction's validation, which then sees it, or after
    // the transaction's write. Concurrent blind writes share one WAL write.
    rdb::WriteBatch wb;
    for (const auto& op : batch.ops) {
      auto s = op.value ? wb.Put(op.key, *op.value) : wb.Delete(op.key);
      if (!s.ok()) return to_error(s);
    }
    if (auto s = engine_->db->Write(engine_->write_options, &wb); !s.ok()) return to_error(s);
    return {};
  }

  result<void> erase_range(std::string_view begin, std::string_view end) override {
    std::shared_lock lock(engine_->mutex);
    if (!engine_->db) return closed_error();
    rdb::WriteBatch wb;
    if (!end.empty()) {
      if (begin >= end) return {};
      if (auto s = wb.DeleteRange(begin, end); !s.ok()) return to_error(s);
    } else {
      // DeleteRange needs an exclusive end; to reach the end of the key space
      // delete up to the last key, then that key itself.
      std::unique_ptr<rdb::Iterator> it(engine_->db->NewIterator({}));
      it->SeekToLast();
      if (!it->status().ok()) return to_error(it->status());
      if (!it->Valid() || it->key().compare(begin) < 0) return {};
      const std::string last = it->key().ToString();
      if (auto s = wb.DeleteRange(begin, last); !s.ok()) return to_error(s);
      if (auto s = wb.Delete(last); !s.ok()) return to_error(s);
    }
    // OptimisticTransactionDB refuses range deletions because its conflict
    // check cannot see them; the base DB takes them. Hence the interface's
    // "not transactional": a transaction that read a key in the range does
    // not conflict with its deletion (RocksDB issue #7913 recommends this for
    // ranges nobody else is using, such as a table being deleted).
    auto s = engine_->db->GetBaseDB()->Write(engine_->write_options, &wb);
    if (!s.ok()) return to_error(s);
    return {};
  }

  void close() override {
    std::unique_lock lock(engine_->mutex);
    if (!engine_->db) return;
    // Flushing the memtables makes the next open fast (no WAL replay). If it
    // fails nothing is lost: the WAL still holds every write and is replayed
    // at the next open, so the status is deliberately not acted upon.
    (void)engine_->db->Flush(rdb::FlushOptions());
    engine_->db.reset();
  }

 private:
  std::shared_ptr<engine> engine_;
};

rdb::Options tuned_options() {
  rdb::Options o;
  o.create_if_missing = true;
  o.max_background_jobs = 2;
  o.level_compaction_dynamic_level_bytes = true;
  // The info LOG is for post-mortems; keep a few small files, not an
  // ever-growing one.
  o.max_log_file_size = 8 << 20;
  o.keep_log_file_num = 4;
  // Memory stays bounded and small for a process that shares a laptop: at
  // most 32 MiB of memtables (16 MiB each, flushed sooner than RocksDB's
  // 64 MiB default), one flushed memtable kept for conflict checks, a 64 MiB
  // row cache and a 64 MiB block cache, which holds the blocks of a
  // 100,000-item benchmark table and its indexes (misses cost a read and a
  // decompression each). A 10-minute mixed load then plateaus
  // (bench/dynamodb/soak.sh).
  o.write_buffer_size = 16 << 20;
  o.db_write_buffer_size = 32 << 20;
  // Serial validation checks conflicts in the memtables only; a transaction
  // that began before the last flush answers TryAgain (a conflict, retried)
  // unless the flushed memtable is kept for the check. Keep one.
  o.max_write_buffer_size_to_maintain = 32 << 20;

  // A point read of a key the memtable does not hold (most GetItems once the
  // table outgrows it) skips the skip-list search on a bloom filter miss.
  o.memtable_prefix_bloom_size_ratio = 0.02;
  o.memtable_whole_key_filtering = true;

  // A point read that hits the row cache (GetItem of a row read before)
  // skips the table file's filter, index and data block lookups, about a
  // quarter of a GetItem's user CPU on 100,000 items. Range deletions do not
  // reach it: see store::erase_range.
  o.row_cache = rdb::NewLRUCache(64 << 20);
  rdb::BlockBasedTableOptions table;
  table.block_cache = rdb::NewLRUCache(64 << 20);
  // Point reads (GetItem, control-plane documents) skip files without the key.
  table.filter_policy.reset(rdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  o.table_factory.reset(rdb::NewBlockBasedTableFactory(table));
  return o;
}

}  // namespace

result<std::unique_ptr<store>> open_rocksdb(const rocksdb_options& options) {
  std::error_code ec;
  // RocksDB creates only the last path component.
  std::filesystem::create_directories(options.directory, ec);
  if (ec) {
    return error{errc::io_error,
                 "cannot create " + options.directory.string() + ": " + ec.message()};
  }

  const rdb::Options o = tuned_options();
  rdb::OptimisticTransactionDBOptions occ;
  // Transactions validate inside the write group, one at a time, after every
  // earlier write is in the memtable. Parallel validation (RocksDB's default)
  // runs before the write group under per-key locks that a plain write does
  // not take, so a blind write could land between a transaction's check and
  // its write and be lost; serial validation lets blind writes go straight to
  // the DB, which halves the storage cost of a PutItem.
  occ.validate_policy = rdb::OccValidationPolicy::kValidateSerial;
  std::vector<rdb::ColumnFamilyDescriptor> families{
      {rdb::kDefaultColumnFamilyName, rdb::ColumnFamilyOptions(o)}};
  std::vector<rdb::ColumnFamilyHandle*> handles;
  rdb::OptimisticTransactionDB* raw = nullptr;
  auto s = rdb::OptimisticTransactionDB::Open(rdb::DBOptions(o), occ, options.directory.string(),
                                              families, &handles, &raw);
  if (!s.ok()) return to_error(s);
  // The DB keeps its own handle on the default column family; like
  // DB::Open's single-family overload, we release the one returned to us.
  for (auto* handle : handles) delete handle;

  auto e = std::make_shared<engine>();
  e->db.reset(raw);
  // The WAL is always written (disableWAL stays false), so a write is in the
  // OS page cache before it is acknowledged and survives kill -9; `sync` adds
  // an fsync per commit, shared by concurrent commits (group commit).
  e->write_options.sync = options.sync_every_commit;
  return std::unique_ptr<store>(std::make_unique<rocksdb_store>(std::move(e)));
}

}  // namespace stratus::storage
