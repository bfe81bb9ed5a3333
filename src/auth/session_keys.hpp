#pragma once
// Temporary credentials Stratus issues to its own callers, today one set per
// Lambda execution environment: an ASIA… access key id, a secret and a
// session token, accepted only while the lease that issue() hands out lives.
// The environment holds the lease; when the environment goes, so does the
// key. In verified mode functions therefore never hold the server's own key
// pair, and a key read out of a dead environment's memory opens nothing.
//
// Thread-safety: every member may be called concurrently from any thread;
// find() takes a shared lock, issue() and the lease's release an exclusive one.

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace stratus::auth {

// Who a session's requests act as.
struct session_principal {
  std::string account;
  std::string caller_arn;  // arn:aws:sts::123456789012:assumed-role/role/session
  std::string user_id;     // AROA…:session, as GetCallerIdentity answers
};

struct session_key {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
};

class session_keys {
 public:
  // Holding it keeps the key valid; destroying it revokes the key. It may
  // outlive the registry (it then does nothing).
  using lease = std::shared_ptr<void>;

  struct issued {
    session_key key;
    lease hold;
  };

  session_keys() : state_(std::make_shared<state>()) {}

  // A fresh random key pair and token acting as `principal`.
  [[nodiscard]] issued issue(session_principal principal);

  struct entry {
    session_key key;
    session_principal principal;
  };
  // The live session of an access key id whose token is `session_token`
  // (compared in constant time), if any.
  [[nodiscard]] std::optional<entry> find(std::string_view access_key_id,
                                          std::string_view session_token) const;
  [[nodiscard]] std::size_t size() const;

 private:
  struct state {
    mutable std::shared_mutex mutex;
    std::map<std::string, entry, std::less<>> live;
  };
  std::shared_ptr<state> state_;
};

}  // namespace stratus::auth
