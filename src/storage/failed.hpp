#pragma once
// Stand-ins for the objects a store hands out when it cannot serve the call:
// scan() and begin() return objects, not results, so a closed store (or a bad
// argument such as a foreign snapshot) answers with an iterator or
// transaction on which every call reports the error. Internal to storage/.
//
// Thread-safety: the stand-ins hold no shared state.

#include <memory>

#include "storage/store.hpp"

namespace stratus::storage {

[[nodiscard]] error closed_error();
[[nodiscard]] std::unique_ptr<iterator> make_failed_iterator(error e);
[[nodiscard]] std::unique_ptr<transaction> make_failed_transaction(error e);

}  // namespace stratus::storage
