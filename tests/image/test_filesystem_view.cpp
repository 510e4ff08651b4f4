#include "image/filesystem_view.hpp"

#include <gtest/gtest.h>

namespace mg::image {
namespace {

TEST(FilesystemView, WhiteoutInLaterLayerDeletesFileAndChildren) {
  FilesystemView view;
  view.add_whiteout(2, "opt/miner");
  EXPECT_TRUE(view.deleted(1, "opt/miner"));
  EXPECT_TRUE(view.deleted(1, "opt/miner/xmrig"));
  EXPECT_FALSE(view.deleted(2, "opt/miner"));  // the same layer's whiteout hides lower layers only
  EXPECT_FALSE(view.deleted(3, "opt/miner"));
  EXPECT_FALSE(view.deleted(1, "opt/miner2"));
}

TEST(FilesystemView, OpaqueDirectoryHidesLowerContentOnly) {
  FilesystemView view;
  view.add_opaque(3, "etc/app");
  EXPECT_TRUE(view.deleted(0, "etc/app/config.json"));
  EXPECT_FALSE(view.deleted(3, "etc/app/config.json"));
  EXPECT_FALSE(view.deleted(0, "etc/app"));  // the directory itself stays
}

TEST(FilesystemView, ResolvesAbsoluteAndRelativeLinksAndParents) {
  FilesystemView view;
  view.add_symlink(0, "bin", "usr/bin");
  view.add_symlink(1, "usr/bin/start", "../local/bin/.kworker");
  auto resolved = view.resolve("bin/start");
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ(*resolved, "usr/local/bin/.kworker");
  view.add_symlink(2, "opt/run", "/usr/bin/start");
  EXPECT_EQ(view.resolve("opt/run").value_or(""), "usr/local/bin/.kworker");
}

TEST(FilesystemView, DeletedLinkIsNotFollowed) {
  FilesystemView view;
  view.add_symlink(0, "entry", "/opt/a");
  view.add_whiteout(1, "entry");
  EXPECT_EQ(view.resolve("entry").value_or("?"), "entry");
}

TEST(FilesystemView, LoopIsAnErrorNamingThePath) {
  FilesystemView view;
  view.add_symlink(0, "a", "b");
  view.add_symlink(0, "b", "/a");
  auto resolved = view.resolve("a");
  ASSERT_FALSE(resolved);
  EXPECT_NE(resolved.error().message.find("symlink loop"), std::string::npos);
  EXPECT_EQ(resolved.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace mg::image
