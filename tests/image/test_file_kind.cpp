#include "image/file_kind.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mg::image {
namespace {

TEST(FileKind, ClassifiesByMagicFirst) {
  EXPECT_EQ(classify("usr/lib/x.json", std::string("\x7f" "ELF\x02\x01\x01", 7)), FileKind::elf);
  EXPECT_EQ(classify("a.txt", std::string("\x1f\x8b\x08\x00", 4)), FileKind::archive);
  EXPECT_EQ(classify("a", "PK\x03\x04rest"), FileKind::archive);
  EXPECT_EQ(classify("entrypoint", "#!/bin/sh\nexec x\n"), FileKind::script);
}

TEST(FileKind, TarIsRecognisedByUstarMagic) {
  std::string header(512, '\0');
  header.replace(257, 6, std::string("ustar\0", 6));
  EXPECT_EQ(classify("layer", header), FileKind::archive);
  EXPECT_TRUE(looks_like_archive(header));
}

TEST(FileKind, ConfigsByExtensionOrJsonShape) {
  EXPECT_EQ(classify("root/.xmrig.json", "{\"pools\": []}"), FileKind::config);
  EXPECT_EQ(classify("opt/settings", "  {\"a\": 1}"), FileKind::config);
  EXPECT_EQ(classify("README", "hello world\n"), FileKind::text);
  EXPECT_EQ(classify("blob", std::string("\x00\x01\x02\x03", 4)), FileKind::other);
  EXPECT_EQ(classify("empty", ""), FileKind::other);
}

}  // namespace
}  // namespace mg::image
