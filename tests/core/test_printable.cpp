#include <gtest/gtest.h>

#include "core/finding.hpp"

namespace mg::core {
namespace {

TEST(Printable, KeepsPrintableAscii) { EXPECT_EQ(printable("stratum+tcp://pool:3333"), "stratum+tcp://pool:3333"); }

TEST(Printable, EscapesControlsBackslashAndHighBytes) {
  EXPECT_EQ(printable(std::string_view("\x00\x01\n", 3)), "\\x00\\x01\\x0a");
  EXPECT_EQ(printable("a\\b"), "a\\\\b");
  EXPECT_EQ(printable("\x7f\xff"), "\\x7f\\xff");
  EXPECT_EQ(printable("caf\xc3\xa9"), "caf\\xc3\\xa9");  // one line of ASCII, whatever the input
}

TEST(Printable, CutsAtMaxLength) {
  EXPECT_EQ(printable("abcdef", 3), "abc…");
  EXPECT_EQ(printable("abc", 3), "abc");  // exactly at the limit: nothing cut
  EXPECT_EQ(printable("", 3), "");
  EXPECT_EQ(printable(std::string(500, 'x')).size(), 160 + std::string("…").size());
}

TEST(Printable, OutputIsPrintableForEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const auto out = printable(all, 10000);
  for (char c : out) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << int(static_cast<unsigned char>(c));
}

}  // namespace
}  // namespace mg::core
