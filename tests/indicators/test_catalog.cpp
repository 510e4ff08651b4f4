// Catalog parsing and compiling: schema errors with file:line, the built-in catalog's quality.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "indicator_test_support.hpp"
#include "indicators/catalog.hpp"

namespace mg::indicators {
namespace {

const char* kValidEntry = R"(- id: a.one
  kind: string
  pattern: "hello"
  weight: 3
  group: g
  why: "because"
  source: "test"
)";

std::string error_of(std::string_view yaml, std::string_view name = "bad.yaml") {
  auto parsed = parse_catalog(yaml, name);
  if (!parsed) return parsed.error().message;
  auto compiled = compile(std::move(*parsed));
  if (!compiled) return compiled.error().message;
  return "";
}

TEST(CatalogParse, ValidEntryHasFileAndLine) {
  auto parsed = parse_catalog(std::string("# comment\n") + kValidEntry, "x.yaml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  const Indicator& entry = parsed->front();
  EXPECT_EQ(entry.id, "a.one");
  EXPECT_EQ(entry.kind, Kind::string);
  EXPECT_EQ(entry.weight, 3);
  EXPECT_EQ(entry.file, "x.yaml");
  EXPECT_EQ(entry.line, 2);
  EXPECT_FALSE(entry.caseless);
}

TEST(CatalogParse, EmptyDocumentIsEmptyCatalog) {
  auto parsed = parse_catalog("# nothing here\n", "empty.yaml");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->empty());
}

TEST(CatalogParse, YamlSyntaxErrorNamesFileAndLine) {
  const std::string message = error_of("- id: a\n  kind: string\n  pattern: [unclosed\n", "broken.yaml");
  EXPECT_TRUE(message.starts_with("broken.yaml:")) << message;
  EXPECT_NE(message, "");
}

TEST(CatalogParse, NotASequence) {
  EXPECT_EQ(error_of("id: a\n").substr(0, 10), "bad.yaml:1");
}

TEST(CatalogParse, MissingField) {
  std::string second = kValidEntry;
  second.replace(second.find("a.one"), 5, "a.two");
  second.erase(second.find("  why:"), std::string("  why: \"because\"\n").size());
  EXPECT_EQ(error_of(std::string(kValidEntry) + second), "bad.yaml:8: indicator 'a.two': missing field 'why'");
}

TEST(CatalogParse, MissingId) {
  EXPECT_EQ(error_of("- kind: string\n  pattern: x\n"), "bad.yaml:1: missing field 'id'");
}

TEST(CatalogParse, UnknownKind) {
  std::string yaml = kValidEntry;
  yaml.replace(yaml.find("kind: string"), 12, "kind: strng");
  EXPECT_EQ(error_of(yaml), "bad.yaml:2: indicator 'a.one': unknown kind 'strng' (string, regex, hostname, port, wallet, command, image)");
}

TEST(CatalogParse, BadWeights) {
  for (const char* weight : {"0", "11", "-1", "abc", "2.5"}) {
    std::string yaml = kValidEntry;
    yaml.replace(yaml.find("weight: 3"), 9, std::string("weight: ") + weight);
    EXPECT_EQ(error_of(yaml), std::string("bad.yaml:4: indicator 'a.one': weight '") + weight + "' must be an integer 1..10")
        << weight;
  }
}

TEST(CatalogParse, UnknownFieldIsATypo) {
  std::string yaml = std::string(kValidEntry) + "  wieght: 4\n";
  EXPECT_EQ(error_of(yaml), "bad.yaml:8: indicator 'a.one': unknown field 'wieght'");
}

TEST(CatalogParse, PortRangeAndZeroWeight) {
  const char* ok = "- {id: p.1, kind: port, pattern: '3333', weight: 0, group: port, why: w, source: s}\n";
  EXPECT_EQ(error_of(ok), "");
  const char* bad = "- {id: p.1, kind: port, pattern: '70000', weight: 0, group: port, why: w, source: s}\n";
  EXPECT_EQ(error_of(bad), "bad.yaml:1: indicator 'p.1': port pattern '70000' must be 1..65535");
}

TEST(CatalogParse, WalletNeedsCoin) {
  const char* yaml = "- {id: w.1, kind: wallet, pattern: '4[1-9A-HJ-NP-Za-km-z]{94}', weight: 5, group: wallet, why: w, source: s}\n";
  EXPECT_EQ(error_of(yaml), "bad.yaml:1: indicator 'w.1': a wallet entry needs 'coin'");
}

TEST(CatalogCompile, InvalidRegexNamesTheFailingEntry) {
  const std::string yaml = std::string(kValidEntry) +
                           "- id: a.bad\n  kind: regex\n  pattern: 'foo(bar'\n  weight: 2\n  group: g\n  why: w\n  source: s\n";
  const std::string message = error_of(yaml);
  EXPECT_TRUE(message.starts_with("bad.yaml:8: indicator 'a.bad': pattern does not compile:")) << message;
}

TEST(CatalogCompile, InvalidImagePatternNamesTheEntry) {
  const char* yaml = "- {id: i.1, kind: image, pattern: 'a/(b', weight: 5, group: image, why: w, source: s}\n";
  EXPECT_TRUE(error_of(yaml).starts_with("bad.yaml:1: indicator 'i.1': image pattern does not compile:")) << error_of(yaml);
}

TEST(CatalogCompile, DuplicateId) {
  const std::string yaml = std::string(kValidEntry) + kValidEntry;
  EXPECT_EQ(error_of(yaml), "bad.yaml:8: indicator 'a.one': duplicate id");
}

TEST(CatalogCompile, EmptyCatalogCompilesAndScansNothing) {
  auto compiled = compile({});
  ASSERT_TRUE(compiled);
  auto scanner = Scanner::create(*compiled);
  ASSERT_TRUE(scanner);
  EXPECT_TRUE(scanner->scan("xmrig stratum+tcp://").empty());
}

TEST(CatalogDir, LoadsYamlFilesInNameOrderAndReportsPath) {
  const auto dir = std::filesystem::temp_directory_path() / ("mg-ind-catalog-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "b.yaml") << kValidEntry;
  std::string second = kValidEntry;
  second.replace(second.find("a.one"), 5, "a.zero");
  std::ofstream(dir / "a.yml") << second;
  std::ofstream(dir / "notes.txt") << "not yaml: [";
  auto loaded = load_catalog_dir(dir);
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].id, "a.zero");
  EXPECT_EQ((*loaded)[1].id, "a.one");

  std::ofstream(dir / "c.yaml") << "- id: c.1\n  kind: nope\n";
  auto broken = load_catalog_dir(dir);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message, (dir / "c.yaml").string() + ":1: indicator 'c.1': missing field 'pattern'");
  std::filesystem::remove_all(dir);

  auto missing = load_catalog_dir(dir);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::io);
}

TEST(BuiltinCatalog, ParsesAndEveryEntryIsDocumented) {
  auto entries = builtin_catalog();
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_GE(entries->size(), 150u);
  EXPECT_LE(entries->size(), 300u);
  std::set<Kind> kinds;
  for (const auto& entry : *entries) {
    kinds.insert(entry.kind);
    EXPECT_GE(entry.why.size(), 15u) << entry.id;
    EXPECT_GE(entry.source.size(), 4u) << entry.id;
    EXPECT_FALSE(entry.group.empty()) << entry.id;
    EXPECT_TRUE(entry.file.ends_with(".yaml")) << entry.id;
    EXPECT_GT(entry.line, 0) << entry.id;
    if (entry.kind == Kind::port) {
      EXPECT_EQ(entry.weight, 0) << entry.id << ": a port is never evidence alone";
    }
  }
  EXPECT_EQ(kinds.size(), 7u) << "every kind is used by the built-in catalog";
}

TEST(BuiltinCatalog, EveryEntryCompilesOnItsOwn) {
  auto entries = builtin_catalog();
  ASSERT_TRUE(entries);
  for (const auto& entry : *entries) {
    auto compiled = compile({entry});
    EXPECT_TRUE(compiled) << entry.id << ": " << (compiled ? "" : compiled.error().message);
  }
  EXPECT_NE(testing::builtin(), nullptr);
}

}  // namespace
}  // namespace mg::indicators
