#include "core/severity.hpp"

#include <gtest/gtest.h>

namespace mg::core {
namespace {

TEST(Severity, ParsesEveryName) {
  EXPECT_EQ(parse_severity("info"), Severity::info);
  EXPECT_EQ(parse_severity("low"), Severity::low);
  EXPECT_EQ(parse_severity("medium"), Severity::medium);
  EXPECT_EQ(parse_severity("high"), Severity::high);
  EXPECT_EQ(parse_severity("critical"), Severity::critical);
}

TEST(Severity, RoundTrips) {
  for (int s = 0; s <= 4; ++s) {
    const auto severity = static_cast<Severity>(s);
    EXPECT_EQ(parse_severity(to_string(severity)), severity);
  }
}

TEST(Severity, RejectsOtherText) {
  EXPECT_FALSE(parse_severity(""));
  EXPECT_FALSE(parse_severity("High"));  // names are lower case, as in the JSON contract
  EXPECT_FALSE(parse_severity("warning"));
  EXPECT_FALSE(parse_severity("high "));
}

TEST(Severity, IsOrdered) {
  EXPECT_LT(Severity::info, Severity::low);
  EXPECT_LT(Severity::low, Severity::medium);
  EXPECT_LT(Severity::medium, Severity::high);
  EXPECT_LT(Severity::high, Severity::critical);
}

TEST(Category, RoundTripsWithDashedNames) {
  EXPECT_EQ(to_string(Category::credential_access), "credential-access");
  EXPECT_EQ(parse_category("credential-access"), Category::credential_access);
  EXPECT_FALSE(parse_category("credential_access"));
  for (auto c : {Category::miner, Category::dropper, Category::exposure, Category::privilege,
                 Category::credential_access, Category::execution, Category::evasion, Category::policy}) {
    EXPECT_EQ(parse_category(to_string(c)), c);
  }
}

TEST(SourceAndVerdict, Names) {
  EXPECT_EQ(to_string(Source::image), "image");
  EXPECT_EQ(to_string(Source::manifest), "manifest");
  EXPECT_EQ(to_string(Source::audit), "audit");
  EXPECT_EQ(to_string(Source::runtime), "runtime");
  EXPECT_EQ(to_string(Source::admission), "admission");
  EXPECT_EQ(to_string(Verdict::clean), "clean");
  EXPECT_EQ(to_string(Verdict::suspicious), "suspicious");
  EXPECT_EQ(to_string(Verdict::malicious), "malicious");
  EXPECT_LT(Verdict::clean, Verdict::suspicious);
  EXPECT_LT(Verdict::suspicious, Verdict::malicious);
}

}  // namespace
}  // namespace mg::core
