#include "report/fingerprint.hpp"

#include <openssl/evp.h>

#include <array>
#include <cassert>
#include <cstdio>

namespace mg::report::detail {

std::string fingerprint(const core::Finding& finding, const LocationView& view) {
  const std::string key = finding.rule_id + '\0' + view.identity;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  const int ok = EVP_Digest(key.data(), key.size(), digest.data(), &length, EVP_sha256(), nullptr);
  // SHA-256 of bytes in memory cannot fail short of a broken OpenSSL: an impossible state.
  assert(ok == 1);
  (void)ok;
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

}  // namespace mg::report::detail
