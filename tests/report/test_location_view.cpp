#include "report/location_view.hpp"

#include <gtest/gtest.h>

namespace mg::report::detail {
namespace {

constexpr const char* kDigest = "sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

TEST(LocationView, LayerFile) {
  const auto view = view_of(core::ImageLocation{"some/dir/img.tar", 3, kDigest, "usr/bin/x", "", false});
  EXPECT_EQ(view.type, "image");
  EXPECT_EQ(view.target, "some/dir/img.tar");
  EXPECT_EQ(view.text, "layer 3 sha256:abcdef012345… /usr/bin/x");
  EXPECT_EQ(view.artifact_uri, "img.tar/layer-3/usr/bin/x");
  ASSERT_EQ(view.logical.size(), 1u);
  EXPECT_EQ(view.logical[0].name, kDigest);
  EXPECT_EQ(view.logical[0].fully_qualified_name, "img.tar/layer-3");
  EXPECT_EQ(view.json.dump(),
            std::string(R"({"type":"image","image":"some/dir/img.tar","layer_index":3,"layer_digest":")") + kDigest +
                R"(","path":"usr/bin/x","deleted":false})");
  EXPECT_EQ(view.rank, 3);
}

TEST(LocationView, NestedAndDeleted) {
  const auto view = view_of(core::ImageLocation{"img.tar", 1, kDigest, "opt/b.tar.gz", "x.zip!/bin/m", true});
  EXPECT_EQ(view.text, "layer 1 sha256:abcdef012345… /opt/b.tar.gz!/x.zip!/bin/m (deleted)");
  EXPECT_EQ(view.artifact_uri, "img.tar/layer-1/opt/b.tar.gz!/x.zip!/bin/m");
  EXPECT_EQ(view.json["inner_path"], "x.zip!/bin/m");
  EXPECT_EQ(view.json["deleted"], true);
}

TEST(LocationView, ImageConfiguration) {
  const auto view = view_of(core::ImageLocation{"img.tar", -1, kDigest, "config.Entrypoint", "", false});
  EXPECT_EQ(view.text, "config sha256:abcdef012345… config.Entrypoint");
  EXPECT_EQ(view.artifact_uri, "img.tar/config/config.Entrypoint");
  EXPECT_EQ(view.logical[0].kind, "object");
  EXPECT_EQ(view.rank, -1);
}

TEST(LocationView, UriIsRelativeAndEncoded) {
  const auto view = view_of(core::ImageLocation{"oci-archive:my image.tar", 0, "", "a b/c?d", "", false});
  EXPECT_EQ(view.artifact_uri, "oci-archive%3Amy%20image.tar/layer-0/a%20b/c%3Fd");
  EXPECT_EQ(view.logical[0].name, "layer-0");  // no digest known
}

TEST(LocationView, IdentityIgnoresTheDirectoryTheImageWasScannedFrom) {
  const auto a = view_of(core::ImageLocation{"/home/ci/img.tar", 2, kDigest, "x", "", false});
  const auto b = view_of(core::ImageLocation{"img.tar", 2, kDigest, "x", "", false});
  const auto c = view_of(core::ImageLocation{"img.tar", 2, kDigest, "y", "", false});
  EXPECT_EQ(a.identity, b.identity);
  EXPECT_NE(b.identity, c.identity);
}

}  // namespace
}  // namespace mg::report::detail
