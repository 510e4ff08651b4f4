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

TEST(LocationView, KubernetesObjectInAManifest) {
  core::ObjectLocation at{"Service", "v1", "istio-system", "istio-ingressgateway", "spec.type",
                          "deploy/kubeflow install.yaml", 208760};
  const auto view = view_of(at);
  EXPECT_EQ(view.type, "object");
  EXPECT_EQ(view.target, "deploy/kubeflow install.yaml");
  EXPECT_EQ(view.text, "Service istio-system/istio-ingressgateway spec.type (deploy/kubeflow install.yaml:208760)");
  EXPECT_EQ(view.artifact_uri, "deploy/kubeflow%20install.yaml");
  EXPECT_EQ(view.line, 208760);
  EXPECT_EQ(view.json["kind"], "Service");
  EXPECT_EQ(view.json["namespace"], "istio-system");
  EXPECT_EQ(view.json["field"], "spec.type");
  EXPECT_EQ(view.json["line"], 208760);
  EXPECT_EQ(view.logical[0].fully_qualified_name, "Service/istio-system/istio-ingressgateway");
}

TEST(LocationView, ObjectNotFromAFileHasAPseudoPathAndNoRegion) {
  core::ObjectLocation at{"ServiceAccount", "v1", "kubeflow-user-example-com", "default-editor", "", "", 0};
  const auto view = view_of(at);
  EXPECT_EQ(view.artifact_uri, "kubernetes/ServiceAccount/kubeflow-user-example-com/default-editor");
  EXPECT_EQ(view.line, 0);
  EXPECT_FALSE(view.json.contains("file"));
  core::ObjectLocation cluster_scoped{"ClusterRole", "rbac.authorization.k8s.io/v1", "", "cluster-admin", "", "cluster", 0};
  EXPECT_EQ(view_of(cluster_scoped).artifact_uri, "kubernetes/ClusterRole/_cluster/cluster-admin");
}

TEST(LocationView, ObjectIdentityIgnoresTheFile) {
  core::ObjectLocation a{"Service", "v1", "ns", "svc", "spec.type", "a.yaml", 3};
  core::ObjectLocation b{"Service", "v1", "ns", "svc", "spec.type", "other/b.yaml", 90};
  core::ObjectLocation c{"Service", "v1", "ns", "svc", "spec.externalIPs", "a.yaml", 3};
  EXPECT_EQ(view_of(a).identity, view_of(b).identity);
  EXPECT_NE(view_of(a).identity, view_of(c).identity);
}

TEST(LocationView, AuditEventInALogFile) {
  core::EventLocation at;
  at.file = "logs/kube-audit.log";
  at.line = 1234;
  at.audit_id = "4e2a4193-cb3d";
  at.timestamp = "2024-06-03T10:00:00.000000Z";
  at.user = "system:serviceaccount:team:default-editor";
  at.verb = "create";
  at.resource = "pods/exec";
  at.namespace_ = "team";
  at.name = "nb-0";
  const auto view = view_of(at);
  EXPECT_EQ(view.type, "event");
  EXPECT_EQ(view.target, "logs/kube-audit.log");
  EXPECT_EQ(view.text, "create pods/exec team/nb-0 by system:serviceaccount:team:default-editor (logs/kube-audit.log:1234)");
  EXPECT_EQ(view.artifact_uri, "logs/kube-audit.log");
  EXPECT_EQ(view.line, 1234);
  EXPECT_EQ(view.json["audit_id"], "4e2a4193-cb3d");
  EXPECT_EQ(view.json["resource"], "pods/exec");
  EXPECT_FALSE(view.json.contains("request_uri"));
  // The same request read from another copy of the log is the same place.
  core::EventLocation copy = at;
  copy.file = "elsewhere.log";
  copy.line = 7;
  EXPECT_EQ(view_of(copy).identity, view.identity);
}

TEST(LocationView, NonResourceEventsFromStdinOrTheWebhook) {
  core::EventLocation at;
  at.file = "-";
  at.audit_id = "x";
  at.user = "system:anonymous";
  at.verb = "get";
  at.request_uri = "/api/v1/secrets";
  const auto view = view_of(at);
  EXPECT_EQ(view.text, "get /api/v1/secrets by system:anonymous (-)");
  EXPECT_EQ(view.artifact_uri, "kubernetes/audit/x");
  EXPECT_EQ(view.line, 0);
  EXPECT_EQ(view.json["request_uri"], "/api/v1/secrets");
}

}  // namespace
}  // namespace mg::report::detail
