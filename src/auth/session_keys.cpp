#include "auth/session_keys.hpp"

#include <openssl/rand.h>

#include <mutex>
#include <stdexcept>

#include "auth/detail.hpp"

namespace stratus::auth {
namespace {

// `n` characters drawn uniformly from `alphabet` by a CSPRNG: these are
// secrets, so std::random_device's quality is not taken on trust.
std::string random_text(std::size_t n, std::string_view alphabet) {
  std::string out;
  out.reserve(n);
  unsigned char buf[64];
  // Rejection sampling keeps the draw uniform for alphabets that do not
  // divide 256.
  const unsigned limit = 256 - 256 % alphabet.size();
  while (out.size() < n) {
    if (RAND_bytes(buf, sizeof buf) != 1) throw std::runtime_error("RAND_bytes failed");
    for (unsigned char b : buf)
      if (b < limit && out.size() < n) out += alphabet[b % alphabet.size()];
  }
  return out;
}

constexpr std::string_view upper_alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view secret_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

session_keys::issued session_keys::issue(session_principal principal) {
  // The shapes of STS's temporary credentials: ASIA + 16, 40, and a long
  // opaque token.
  session_key key{"ASIA" + random_text(16, upper_alnum), random_text(40, secret_alphabet),
                  "IQoJb3JpZ2luX2Vj" + random_text(200, secret_alphabet)};
  std::weak_ptr<state> registry = state_;
  {
    std::unique_lock lock(state_->mutex);
    state_->live.emplace(key.access_key_id, entry{key, std::move(principal)});
  }
  lease hold(nullptr, [registry, id = key.access_key_id](void*) {
    if (auto s = registry.lock()) {
      std::unique_lock lock(s->mutex);
      s->live.erase(id);
    }
  });
  return {std::move(key), std::move(hold)};
}

std::optional<session_keys::entry> session_keys::find(std::string_view access_key_id,
                                                      std::string_view session_token) const {
  std::shared_lock lock(state_->mutex);
  auto it = state_->live.find(access_key_id);
  if (it == state_->live.end() ||
      !detail::constant_time_equal(it->second.key.session_token, session_token))
    return std::nullopt;
  return it->second;
}

std::size_t session_keys::size() const {
  std::shared_lock lock(state_->mutex);
  return state_->live.size();
}

}  // namespace stratus::auth
