// Checksum-valid Monero addresses from random keys: they look like the wallets of the campaigns
// to a checksum-verifying matcher, yet belong to nobody (no one holds the private keys).
#include <cstdint>

#include "image_builder.hpp"
#include "indicators/wallet.hpp"

namespace mg::testing {
namespace {

// splitmix64: a tiny, well-mixed generator; deterministic so tests and images are reproducible.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::string make_test_monero_address(std::uint64_t seed) {
  constexpr std::uint8_t kMainnetStandard = 18;  // varint network byte: encodes as one byte
  std::vector<std::uint8_t> bytes{kMainnetStandard};
  std::uint64_t state = seed;
  for (int word = 0; word < 8; ++word) {  // 64 bytes: spend key then view key
    const std::uint64_t value = splitmix64(state);
    for (int b = 0; b < 8; ++b) bytes.push_back(static_cast<std::uint8_t>(value >> (8 * b)));
  }
  const auto digest = mg::indicators::keccak256(bytes.data(), bytes.size());
  bytes.insert(bytes.end(), digest.begin(), digest.begin() + 4);
  return mg::indicators::monero_base58_encode(bytes);
}

std::string test_wallet() { return make_test_monero_address(0x6d696e6572677561ULL); }

}  // namespace mg::testing
