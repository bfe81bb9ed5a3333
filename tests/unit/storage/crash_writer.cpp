// Helper for rocksdb_store_test: opens a store, makes `count` acknowledged
// writes, reports them on stdout, then dies by SIGKILL without closing, as a
// crashed or killed server would. A separate program so that RocksDB starts
// in a fresh process (forking a multithreaded test binary is not safe).
//
// usage: storage_crash_writer <directory> <count>

#include <signal.h>

#include <cstdio>
#include <string>

#include "storage/rocksdb_store.hpp"

int main(int argc, char** argv) {
  using namespace stratus::storage;
  if (argc != 3) return 2;
  auto opened = open_rocksdb({argv[1], false});
  if (!opened) return 3;
  auto& db = **opened;
  const int count = std::stoi(argv[2]);
  for (int i = 0; i < count; ++i) {
    write_batch batch;
    batch.put("key" + std::to_string(i), std::to_string(i));
    if (!db.write(batch)) return 4;
  }
  auto txn = db.begin();
  txn->put("txn", "committed");
  if (!txn->commit()) return 5;
  std::printf("acknowledged %d\n", count);
  std::fflush(stdout);
  raise(SIGKILL);
  return 6;
}
