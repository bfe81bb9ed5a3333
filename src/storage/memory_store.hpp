#pragma once
// An in-memory store with the same semantics as the RocksDB one, for unit
// tests of the services. Not durable, not tuned for large data: one mutex
// serialises every call, and old versions of a key are dropped only when the
// key is next written.
//
// Thread-safety: as for every store (storage/store.hpp).

#include <memory>

#include "storage/store.hpp"

namespace stratus::storage {

[[nodiscard]] std::unique_ptr<store> make_memory_store();

}  // namespace stratus::storage
