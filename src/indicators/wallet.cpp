// CryptoNote base58 and Monero address validation. Base58 here is Monero's block-wise variant
// (8-byte blocks -> 11 characters), which no Debian library provides; Keccak comes from Crypto++.
#include "indicators/wallet.hpp"

#include <cryptopp/keccak.h>

#include <array>

namespace mg::indicators {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kFullBlockBytes = 8;
constexpr std::size_t kFullBlockChars = 11;
// Characters needed for a block of n bytes (n = 0..8).
constexpr std::array<std::size_t, 9> kEncodedBlockSizes = {0, 2, 3, 5, 6, 7, 9, 10, 11};

int digit_of(char c) {
  static const std::array<int, 256> table = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    return t;
  }();
  return table[static_cast<unsigned char>(c)];
}

int bytes_for_chars(std::size_t chars) {
  for (std::size_t n = 0; n < kEncodedBlockSizes.size(); ++n)
    if (kEncodedBlockSizes[n] == chars) return static_cast<int>(n);
  return -1;
}

bool decode_block(std::string_view block, std::size_t byte_count, std::vector<std::uint8_t>& out) {
  unsigned __int128 value = 0;
  for (char c : block) {
    const int digit = digit_of(c);
    if (digit < 0) return false;
    value = value * 58 + static_cast<unsigned>(digit);
  }
  // The value must fit the block's byte count (11 chars can express more than 2^64).
  if (byte_count < 16 && (value >> (8 * byte_count)) != 0) return false;
  for (std::size_t i = 0; i < byte_count; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * (byte_count - 1 - i))));
  return true;
}

void encode_block(const std::uint8_t* data, std::size_t size, std::string& out) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size; ++i) value = (value << 8) | data[i];
  std::string block(kEncodedBlockSizes[size], kAlphabet[0]);
  for (std::size_t i = block.size(); i-- > 0 && value > 0;) {
    block[i] = kAlphabet[value % 58];
    value /= 58;
  }
  out += block;
}

// Monero's varint (7 bits per byte, low first).
bool read_varint(const std::vector<std::uint8_t>& bytes, std::size_t& pos, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; pos < bytes.size() && shift < 64; shift += 7) {
    const std::uint8_t byte = bytes[pos++];
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

struct Prefix {
  std::uint64_t value;
  MoneroNetwork network;
  MoneroAddressType type;
};

// monero-project/monero src/cryptonote_config.h: CRYPTONOTE_PUBLIC_{ADDRESS,INTEGRATED_ADDRESS,
// SUBADDRESS}_BASE58_PREFIX for mainnet, testnet and stagenet.
constexpr std::array<Prefix, 9> kPrefixes{{
    {18, MoneroNetwork::mainnet, MoneroAddressType::standard},
    {19, MoneroNetwork::mainnet, MoneroAddressType::integrated},
    {42, MoneroNetwork::mainnet, MoneroAddressType::subaddress},
    {53, MoneroNetwork::testnet, MoneroAddressType::standard},
    {54, MoneroNetwork::testnet, MoneroAddressType::integrated},
    {63, MoneroNetwork::testnet, MoneroAddressType::subaddress},
    {24, MoneroNetwork::stagenet, MoneroAddressType::standard},
    {25, MoneroNetwork::stagenet, MoneroAddressType::integrated},
    {36, MoneroNetwork::stagenet, MoneroAddressType::subaddress},
}};

constexpr std::size_t kKeysBytes = 64;       // public spend key + public view key
constexpr std::size_t kPaymentIdBytes = 8;   // integrated addresses only
constexpr std::size_t kChecksumBytes = 4;

}  // namespace

std::optional<std::vector<std::uint8_t>> monero_base58_decode(std::string_view text) {
  std::vector<std::uint8_t> out;
  const std::size_t full_blocks = text.size() / kFullBlockChars;
  const std::size_t last_chars = text.size() % kFullBlockChars;
  const int last_bytes = bytes_for_chars(last_chars);
  if (last_bytes < 0) return std::nullopt;
  out.reserve(full_blocks * kFullBlockBytes + static_cast<std::size_t>(last_bytes));
  for (std::size_t i = 0; i < full_blocks; ++i) {
    if (!decode_block(text.substr(i * kFullBlockChars, kFullBlockChars), kFullBlockBytes, out)) return std::nullopt;
  }
  if (last_chars > 0 && !decode_block(text.substr(full_blocks * kFullBlockChars), static_cast<std::size_t>(last_bytes), out)) {
    return std::nullopt;
  }
  return out;
}

std::string monero_base58_encode(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  std::size_t pos = 0;
  for (; pos + kFullBlockBytes <= bytes.size(); pos += kFullBlockBytes) encode_block(bytes.data() + pos, kFullBlockBytes, out);
  if (pos < bytes.size()) encode_block(bytes.data() + pos, bytes.size() - pos, out);
  return out;
}

std::vector<std::uint8_t> keccak256(const std::uint8_t* data, std::size_t size) {
  CryptoPP::Keccak_256 hash;
  std::vector<std::uint8_t> digest(CryptoPP::Keccak_256::DIGESTSIZE);
  hash.CalculateDigest(digest.data(), data, size);
  return digest;
}

std::optional<MoneroAddress> parse_monero_address(std::string_view text) {
  if (text.size() != 95 && text.size() != 106) return std::nullopt;  // cheap reject before decoding
  const auto bytes = monero_base58_decode(text);
  if (!bytes) return std::nullopt;
  std::size_t pos = 0;
  std::uint64_t tag = 0;
  if (!read_varint(*bytes, pos, tag)) return std::nullopt;
  const Prefix* prefix = nullptr;
  for (const auto& p : kPrefixes)
    if (p.value == tag) prefix = &p;
  if (!prefix) return std::nullopt;
  const std::size_t body = kKeysBytes + (prefix->type == MoneroAddressType::integrated ? kPaymentIdBytes : 0);
  if (bytes->size() != pos + body + kChecksumBytes) return std::nullopt;
  const std::size_t signed_size = pos + body;
  const auto digest = keccak256(bytes->data(), signed_size);
  for (std::size_t i = 0; i < kChecksumBytes; ++i)
    if (digest[i] != (*bytes)[signed_size + i]) return std::nullopt;
  return MoneroAddress{prefix->network, prefix->type};
}

}  // namespace mg::indicators
