#pragma once
// Monero addresses: CryptoNote base58 (8-byte blocks → 11 chars) of
// [varint network byte][32-byte spend key][32-byte view key][(8-byte payment id)][4-byte checksum],
// checksum = first 4 bytes of Keccak-256 (original padding, not SHA3) of what precedes it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg::indicators {

enum class MoneroNetwork { mainnet, testnet, stagenet };
enum class MoneroAddressType { standard, integrated, subaddress };

struct MoneroAddress {
  MoneroNetwork network;
  MoneroAddressType type;
};

// Decodes CryptoNote base58; nullopt on a character outside the alphabet or a bad block.
std::optional<std::vector<std::uint8_t>> monero_base58_decode(std::string_view text);
std::string monero_base58_encode(const std::vector<std::uint8_t>& bytes);

// The address's network and type if its prefix is known and its checksum holds.
std::optional<MoneroAddress> parse_monero_address(std::string_view text);

// Keccak-256 with the original Keccak padding, as Monero uses it.
std::vector<std::uint8_t> keccak256(const std::uint8_t* data, std::size_t size);

}  // namespace mg::indicators
