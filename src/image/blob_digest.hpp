#pragma once
// Streaming SHA-256 over blob bytes (OpenSSL EVP, which uses SHA-NI where the CPU has it).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mg::image {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // "sha256:<64 lowercase hex>"; the hasher must not be updated afterwards.
  std::string finish();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// "sha256:<hex>" of a whole buffer.
std::string sha256_digest(std::string_view bytes);

}  // namespace mg::image
