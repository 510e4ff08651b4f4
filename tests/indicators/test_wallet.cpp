// CryptoNote base58, Keccak-256 and Monero address validation.
#include <gtest/gtest.h>

#include <random>

#include "indicator_test_support.hpp"
#include "indicators/wallet.hpp"

namespace mg::indicators {
namespace {

using testing::make_monero_address;

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

TEST(Keccak256, OriginalPaddingNotSha3) {
  // Keccak-256("") with the original padding; SHA3-256("") would be a7ffc6f8...
  EXPECT_EQ(hex(keccak256(nullptr, 0)), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  const std::string abc = "abc";
  EXPECT_EQ(hex(keccak256(reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size())),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Base58, RoundTripsEveryLength) {
  std::mt19937_64 rng(3);
  for (std::size_t size = 0; size <= 80; ++size) {
    std::vector<std::uint8_t> bytes(size);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    const std::string text = monero_base58_encode(bytes);
    const std::size_t tail_chars[] = {0, 2, 3, 5, 6, 7, 9, 10};
    EXPECT_EQ(text.size(), (size / 8) * 11 + tail_chars[size % 8]) << size;
    const auto back = monero_base58_decode(text);
    ASSERT_TRUE(back) << size;
    EXPECT_EQ(*back, bytes) << size;
  }
}

TEST(Base58, BlockWiseWithLeadingZeros) {
  // Each 8-byte block is padded with '1' (zero) to 11 characters.
  EXPECT_EQ(monero_base58_encode(std::vector<std::uint8_t>(8, 0)), "11111111111");
  EXPECT_EQ(monero_base58_encode({0, 0, 0, 0, 0, 0, 0, 1}), "11111111112");
  EXPECT_EQ(monero_base58_encode({0xff}), "5Q");
}

TEST(Base58, RejectsBadInput) {
  EXPECT_FALSE(monero_base58_decode("0"));             // not in the alphabet
  EXPECT_FALSE(monero_base58_decode("11111111110"));   // '0'
  EXPECT_FALSE(monero_base58_decode("1111111111O"));   // 'O'
  EXPECT_FALSE(monero_base58_decode("111111111I1"));   // 'I'
  EXPECT_FALSE(monero_base58_decode("l1"));            // 'l'
  EXPECT_FALSE(monero_base58_decode("1"));             // 1 trailing character decodes to no byte count
  EXPECT_FALSE(monero_base58_decode("1111"));          // neither does 4
  EXPECT_FALSE(monero_base58_decode("zzzzzzzzzzz"));   // 58^11-1 does not fit 8 bytes
  EXPECT_FALSE(monero_base58_decode("zz"));            // 58^2-1 does not fit 1 byte
  EXPECT_TRUE(monero_base58_decode(""));
}

TEST(MoneroAddress, GeneratedAddressesOfEveryNetworkAndType) {
  struct Case {
    std::uint8_t prefix;
    MoneroNetwork network;
    MoneroAddressType type;
    char first;
  };
  // Prefixes: monero-project/monero src/cryptonote_config.h.
  const Case cases[] = {
      {18, MoneroNetwork::mainnet, MoneroAddressType::standard, '4'},
      {19, MoneroNetwork::mainnet, MoneroAddressType::integrated, '4'},
      {42, MoneroNetwork::mainnet, MoneroAddressType::subaddress, '8'},
      {53, MoneroNetwork::testnet, MoneroAddressType::standard, '9'},
      {54, MoneroNetwork::testnet, MoneroAddressType::integrated, 'A'},
      {63, MoneroNetwork::testnet, MoneroAddressType::subaddress, 'B'},
      {24, MoneroNetwork::stagenet, MoneroAddressType::standard, '5'},
      {25, MoneroNetwork::stagenet, MoneroAddressType::integrated, '5'},
      {36, MoneroNetwork::stagenet, MoneroAddressType::subaddress, '7'},
  };
  std::mt19937_64 rng(11);
  for (const auto& c : cases) {
    for (int i = 0; i < 20; ++i) {
      const bool integrated = c.type == MoneroAddressType::integrated;
      const std::string address = make_monero_address(rng, c.prefix, integrated);
      EXPECT_EQ(address.size(), integrated ? 106u : 95u);
      if (c.network == MoneroNetwork::mainnet) {
        EXPECT_EQ(address.front(), c.first) << address;
      }
      const auto parsed = parse_monero_address(address);
      ASSERT_TRUE(parsed) << address;
      EXPECT_EQ(parsed->network, c.network);
      EXPECT_EQ(parsed->type, c.type);
    }
  }
}

TEST(MoneroAddress, OneChangedCharacterIsInvalid) {
  std::mt19937_64 rng(5);
  static constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  for (int i = 0; i < 200; ++i) {
    std::string address = make_monero_address(rng, 18, false);
    const std::size_t at = rng() % address.size();
    char replacement;
    do replacement = kAlphabet[rng() % kAlphabet.size()];
    while (replacement == address[at]);
    address[at] = replacement;
    EXPECT_FALSE(parse_monero_address(address)) << address;
  }
}

TEST(MoneroAddress, RandomBase58OfTheRightLengthIsInvalid) {
  std::mt19937_64 rng(9);
  static constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  for (int i = 0; i < 500; ++i) {
    std::string text = "4";
    while (text.size() < (i % 2 ? 95u : 106u)) text += kAlphabet[rng() % kAlphabet.size()];
    EXPECT_FALSE(parse_monero_address(text)) << text;
  }
}

TEST(MoneroAddress, WrongLengthOrUnknownPrefixIsInvalid) {
  std::mt19937_64 rng(13);
  const std::string address = make_monero_address(rng, 18, false);
  EXPECT_FALSE(parse_monero_address(address.substr(0, 94)));
  EXPECT_FALSE(parse_monero_address(address + "1"));
  EXPECT_FALSE(parse_monero_address(make_monero_address(rng, 17, false))) << "prefix 17 is no Monero network";
  // A standard prefix with an integrated body does not parse (lengths disagree).
  EXPECT_FALSE(parse_monero_address(make_monero_address(rng, 18, true)));
}

TEST(MoneroAddress, PublishedDonationAddresses) {
  // The Monero General Fund donation address as monero-project/monero README.md publishes it
  // ("The Monero donation address is: 888tNkZr...", a mainnet subaddress).
  const auto fund = parse_monero_address(
      "888tNkZrPN6JsEgekjMnABU4TBzc2Dt29EPAvkRxbANsAnjyPbb3iQ1YBRk1UXcdRsiKc9dhwMVgN5S9cQUiyoogDavup3H");
  ASSERT_TRUE(fund);
  EXPECT_EQ(fund->network, MoneroNetwork::mainnet);
  EXPECT_EQ(fund->type, MoneroAddressType::subaddress);
  // The donation address of older monero-project/monero README.md revisions (a standard address).
  const auto old = parse_monero_address(
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->network, MoneroNetwork::mainnet);
  EXPECT_EQ(old->type, MoneroAddressType::standard);
}

}  // namespace
}  // namespace mg::indicators
