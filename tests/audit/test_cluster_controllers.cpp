// controller_identities: the service accounts of the cluster's Deployments, StatefulSets and
// DaemonSets, read from its manifests (`audit-log --cluster-objects`).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/cluster_controllers.hpp"
#include "kube/reader.hpp"

namespace mg::audit {
namespace {

std::vector<kube::Object> objects_of(const std::string& yaml) {
  auto read = kube::read_objects(yaml, "cluster.yaml");
  EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().message);
  return read ? read->objects : std::vector<kube::Object>{};
}

const char* kCluster = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: notebook-controller-deployment, namespace: kubeflow}
spec:
  template:
    spec:
      serviceAccountName: notebook-controller-service-account
      containers: [{name: manager, image: docker.io/kubeflownotebookswg/notebook-controller:v1.8.0}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: metacontroller, namespace: kubeflow}
spec:
  template:
    spec:
      serviceAccountName: meta-controller-service
      containers: [{name: metacontroller, image: metacontroller/metacontroller:v0.3.0}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: kube-system}
spec:
  template:
    spec:
      serviceAccountName: default
      containers: [{name: agent, image: agent:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: second-replica-set, namespace: kubeflow}
spec:
  template:
    spec:
      serviceAccountName: notebook-controller-service-account
      containers: [{name: manager, image: docker.io/kubeflownotebookswg/notebook-controller:v1.8.0}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a-users-app, namespace: alice}
spec:
  template:
    spec:
      serviceAccountName: default-editor
      containers: [{name: app, image: app:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: a-pod, namespace: kubeflow}
spec:
  serviceAccountName: pod-account
  containers: [{name: c, image: c:1}]
)";

TEST(ClusterControllers, AccountsOfDeploymentsStatefulSetsAndDaemonSetsOnceEach) {
  const auto identities = controller_identities(objects_of(kCluster), {"system:serviceaccount:*:default-editor"});
  EXPECT_EQ(identities, (std::vector<std::string>{
                            "system:serviceaccount:kubeflow:notebook-controller-service-account",
                            "system:serviceaccount:kubeflow:meta-controller-service",
                        }));
}

TEST(ClusterControllers, WithoutExclusionsAUsersDeploymentAccountCounts) {
  const auto identities = controller_identities(objects_of(kCluster), {});
  EXPECT_EQ(identities.size(), 3u);
  EXPECT_EQ(identities.back(), "system:serviceaccount:alice:default-editor");
}

}  // namespace
}  // namespace mg::audit
