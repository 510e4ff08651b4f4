#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "kube/reader.hpp"
#include "temp_dir.hpp"

namespace mg::kube {
namespace {

using core::ErrorCode;
namespace fs = std::filesystem;

void write(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(ReadObjects, ChoosesJsonOrYamlByTheFirstByte) {
  auto json = read_objects("\xEF\xBB\xBF  \n{\"kind\": \"A\"}", "x");
  ASSERT_TRUE(json.has_value()) << json.error().message;
  ASSERT_EQ(json->objects.size(), 1u);
  EXPECT_EQ(json->objects[0].line, 2);
  auto yaml = read_objects("# kind: comment\nkind: B\n", "x");
  ASSERT_TRUE(yaml.has_value());
  ASSERT_EQ(yaml->objects.size(), 1u);
  EXPECT_EQ(yaml->objects[0].kind(), "B");
  auto list = read_objects("[{\"kind\": \"A\"}]", "x");
  ASSERT_TRUE(list.has_value());
  EXPECT_TRUE(list->objects.empty());
  EXPECT_EQ(list->warnings.size(), 1u);
}

TEST(ReadPaths, ADirectoryIsReadRecursivelyInPathOrder) {
  testing::TempDir dir("mg-read-paths");
  write(dir.path() / "b.json", "{\"kind\": \"FromJson\"}\n");
  write(dir.path() / "a.yaml", "kind: First\n---\nkind: Second\n");
  write(dir.path() / "notes.txt", "kind: Ignored\n");
  write(dir.path() / "README", "kind: Ignored\n");
  write(dir.path() / "sub" / "c.yml", "\n\nkind: Nested\n");
  write(dir.path() / "sub" / "deeper" / "d.YAML", "kind: Upper\n");
  const std::string root = dir.path().string();
  auto result = read_paths({root});
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result->objects.size(), 5u);
  EXPECT_EQ(result->objects[0].kind(), "First");
  EXPECT_EQ(result->objects[0].file, root + "/a.yaml");
  EXPECT_EQ(result->objects[1].kind(), "Second");
  EXPECT_EQ(result->objects[1].line, 3);
  EXPECT_EQ(result->objects[2].kind(), "FromJson");
  EXPECT_EQ(result->objects[2].file, root + "/b.json");
  EXPECT_EQ(result->objects[3].kind(), "Nested");
  EXPECT_EQ(result->objects[3].file, root + "/sub/c.yml");
  EXPECT_EQ(result->objects[3].line, 3);
  EXPECT_EQ(result->objects[4].kind(), "Upper");
  EXPECT_EQ(result->documents, 5u);
  EXPECT_GT(result->bytes, 0u);
  EXPECT_TRUE(result->warnings.empty());
}

TEST(ReadPaths, FilesKeepThePathAsGivenInArgumentOrder) {
  testing::TempDir dir("mg-read-paths");
  write(dir.path() / "z.yaml", "kind: Z\n");
  write(dir.path() / "a.yaml", "kind: A\n");
  const std::string z = (dir.path() / "z.yaml").string();
  const std::string a = (dir.path() / "." / "a.yaml").string();
  auto result = read_paths({z, a});
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_EQ(result->objects.size(), 2u);
  EXPECT_EQ(result->objects[0].file, z);
  EXPECT_EQ(result->objects[1].file, a);
}

TEST(ReadPaths, AMissingPathIsAnIoError) {
  testing::TempDir dir("mg-read-paths");
  const std::string missing = (dir.path() / "nope.yaml").string();
  auto result = read_paths({missing});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::io);
  EXPECT_EQ(result.error().message, missing + ": cannot read: No such file or directory");
}

TEST(ReadPaths, AFileOverTheInputLimitIsRejectedByName) {
  testing::TempDir dir("mg-read-paths");
  const std::string big = (dir.path() / "big.yaml").string();
  write(big, "kind: ConfigMap\ndata:\n  a: " + std::string(4096, 'x') + "\n");
  ReadLimits limits;
  limits.max_input_bytes = 1024;
  auto result = read_paths({big}, limits);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::limit_exceeded);
  EXPECT_TRUE(result.error().message.starts_with(big + ": ")) << result.error().message;
  EXPECT_NE(result.error().message.find("--max-input-bytes"), std::string::npos);
}

TEST(ReadPaths, AnErrorNamesTheFileInsideTheDirectory) {
  testing::TempDir dir("mg-read-paths");
  write(dir.path() / "good.yaml", "kind: A\n");
  write(dir.path() / "bad.json", "{\n\"kind\": \"B\",\n\"x\": }\n");
  auto result = read_paths({dir.path().string()});
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().message.starts_with((dir.path() / "bad.json").string() + ":3: invalid JSON"))
      << result.error().message;
}

TEST(ReadPaths, AnEmptyDirectoryOrFileIsNotAnError) {
  testing::TempDir dir("mg-read-paths");
  write(dir.path() / "empty.yaml", "");
  auto result = read_paths({dir.path().string()});
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_TRUE(result->objects.empty());
  fs::create_directories(dir.path() / "nothing");
  result = read_paths({(dir.path() / "nothing").string()});
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_NE(result->warnings[0].find("no .yaml, .yml or .json files"), std::string::npos);
}

}  // namespace
}  // namespace mg::kube
