#include "report/text.hpp"

#include <gtest/gtest.h>

namespace mg::report::detail {
namespace {

TEST(TerminalSafe, KeepsPrintableAsciiAndUtf8) {
  EXPECT_EQ(terminal_safe("usr/bin/xmrig --url pool:4444"), "usr/bin/xmrig --url pool:4444");
  EXPECT_EQ(terminal_safe("caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x80");
}

TEST(TerminalSafe, EscapesControlCharacters) {
  EXPECT_EQ(terminal_safe("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(terminal_safe("line\nnext\r\t"), "line\\x0anext\\x0d\\x09");
  EXPECT_EQ(terminal_safe(std::string_view("\x00\x7f", 2)), "\\x00\\x7f");
}

TEST(TerminalSafe, EscapesC1ControlsAndBidiOverrides) {
  EXPECT_EQ(terminal_safe("\xc2\x9b" "31m"), "\\xc2\\x9b31m");       // 8-bit CSI
  EXPECT_EQ(terminal_safe("a\xe2\x80\xae" "b"), "a\\xe2\\x80\\xaeb");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(terminal_safe("a\xe2\x81\xa6" "b"), "a\\xe2\\x81\\xa6b");  // LEFT-TO-RIGHT ISOLATE
  EXPECT_EQ(terminal_safe("\xc2\xa0"), "\xc2\xa0");                    // NBSP is fine
}

TEST(TerminalSafe, EscapesInvalidUtf8ByteByByte) {
  EXPECT_EQ(terminal_safe("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(terminal_safe("\xc3"), "\\xc3");                  // truncated sequence
  EXPECT_EQ(terminal_safe("\xc0\xaf"), "\\xc0\\xaf");         // overlong '/'
  EXPECT_EQ(terminal_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(terminal_safe("\xe2\x28\xa1"), "\\xe2(\\xa1");
}

TEST(TruncateUtf8, CutsOnCharacterBoundaries) {
  EXPECT_EQ(truncate_utf8("abcdef", 6), "abcdef");
  EXPECT_EQ(truncate_utf8("abcdef", 3), "abc…");
  EXPECT_EQ(truncate_utf8("ab\xc3\xa9z", 3), "ab…");  // would split é
  EXPECT_EQ(truncate_utf8("", 0), "");
}

TEST(ShortDigest, KeepsAlgorithmAndTwelveHexDigits) {
  EXPECT_EQ(short_digest("sha256:0123456789abcdef0123"), "sha256:0123456789ab…");
  EXPECT_EQ(short_digest("sha256:0123"), "sha256:0123");
  EXPECT_EQ(short_digest("0123456789abcdef"), "0123456789ab…");
  EXPECT_EQ(short_digest(""), "");
}

TEST(PercentEncode, EncodesReservedAndDotSegments) {
  EXPECT_EQ(percent_encode_segment("xmrig-6.21_x86~64.tar"), "xmrig-6.21_x86~64.tar");
  EXPECT_EQ(percent_encode_segment("a b:c?d#e%f"), "a%20b%3Ac%3Fd%23e%25f");
  EXPECT_EQ(percent_encode_segment("caf\xc3\xa9"), "caf%C3%A9");
  EXPECT_EQ(percent_encode_segment("."), "%2E");
  EXPECT_EQ(percent_encode_segment(".."), "%2E%2E");
  EXPECT_EQ(percent_encode_segment("a/b"), "a%2Fb");
}

TEST(UriPath, EncodesEachSegmentAndDropsEmptyOnes) {
  EXPECT_EQ(uri_path("usr/bin/x"), "usr/bin/x");
  EXPECT_EQ(uri_path("/usr//bin/my file"), "usr/bin/my%20file");
  EXPECT_EQ(uri_path("a/../b"), "a/%2E%2E/b");
  EXPECT_EQ(uri_path(""), "");
}

TEST(TargetFileName, TakesTheLastPathComponent) {
  EXPECT_EQ(target_file_name("images/x.tar"), "x.tar");
  EXPECT_EQ(target_file_name("/abs/layout/"), "layout");
  EXPECT_EQ(target_file_name("x.tar"), "x.tar");
  EXPECT_EQ(target_file_name("/"), "image");
  EXPECT_EQ(target_file_name(""), "image");
}

}  // namespace
}  // namespace mg::report::detail
