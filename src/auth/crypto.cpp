// Hashing for SigV4 through OpenSSL 3's one-shot EVP digest and HMAC calls.

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth/detail.hpp"
#include "auth/sigv4.hpp"

namespace stratus::auth {

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += digits[c >> 4];
    out += digits[c & 0xF];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // Cannot fail for SHA-256 with the default provider; an empty digest would
  // only make the signature mismatch, never match.
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  return hex({reinterpret_cast<const char*>(digest), length});
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // OpenSSL refuses a null key pointer even with length 0.
  const char* key_bytes = key.empty() ? "" : key.data();
  if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &length) == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(mac), length};
}

}  // namespace stratus::auth

namespace stratus::auth::detail {

bool constant_time_equal(std::string_view a, std::string_view b) {
  // The length of a signature is public (always 64 hex digits); only the
  // content must not leak through timing.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace stratus::auth::detail
