// Every shape an audit log reaches users in, decoded to the same fields; malformed input counted
// with its line, never fatal to the lines around it.
#include <gtest/gtest.h>

#include "audit/event.hpp"
#include "audit_test_support.hpp"

namespace mg::audit::testing {
namespace {

constexpr const char* kEvent =
    R"({"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a-1","stage":"ResponseComplete",)"
    R"("requestURI":"/api/v1/namespaces/team/pods","verb":"create","user":{"username":"alice@example.com","groups":["devs","system:authenticated"],"extra":{"k":["v"]}},)"
    R"("impersonatedUser":{"username":"bob"},"sourceIPs":["10.0.0.1","10.0.0.2"],"userAgent":"kubectl/v1.29",)"
    R"("objectRef":{"resource":"pods","namespace":"team","name":"p","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},)"
    R"("requestObject":{"kind":"Pod","spec":{"containers":[{"image":"nginx"}]}},"responseObject":{"kind":"Pod"},)"
    R"("requestReceivedTimestamp":"2024-06-03T10:00:00.250000Z","stageTimestamp":"2024-06-03T10:00:01.000000Z",)"
    R"("annotations":{"authorization.k8s.io/decision":"allow"}})";

TEST(EventDecoder, ReadsEveryFieldOfAV1Event) {
  auto decoded = decode_text(kEvent);
  ASSERT_EQ(decoded.events.size(), 1u);
  const Seen& e = decoded.events[0];
  EXPECT_EQ(e.verb, "create");
  EXPECT_EQ(e.audit_id, "a-1");
  EXPECT_EQ(e.username, "alice@example.com");
  EXPECT_EQ(e.groups, (std::vector<std::string>{"devs", "system:authenticated"}));
  EXPECT_EQ(e.source_ips.size(), 2u);
  EXPECT_EQ(e.user_agent, "kubectl/v1.29");
  EXPECT_EQ(e.resource, "pods");
  EXPECT_EQ(e.namespace_, "team");
  EXPECT_EQ(e.name, "p");
  EXPECT_EQ(e.api_version, "v1");
  EXPECT_EQ(e.code, 201);
  EXPECT_EQ(e.level, "RequestResponse");
  EXPECT_EQ(e.stage, "ResponseComplete");
  EXPECT_EQ(e.timestamp, "2024-06-03T10:00:00.250000Z");
  EXPECT_EQ(e.time_us, 1717408800250000);
  EXPECT_EQ(e.request_object, R"({"kind":"Pod","spec":{"containers":[{"image":"nginx"}]}})");
  EXPECT_EQ(e.response_object, R"({"kind":"Pod"})");
  EXPECT_EQ(e.annotations, R"({"authorization.k8s.io/decision":"allow"})");
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(decoded.stats.malformed, 0u);
}

TEST(EventDecoder, KeysAreReadWhateverWhitespaceSurroundsTheirColons) {
  // The decoder finds a key's end from its value, back over the colon and any whitespace; the
  // same event laid out every way JSON allows reads the same. A key with an escape in it is no
  // key the decoder knows, and its value is skipped.
  auto spaced_out = [](std::string_view json) {
    std::string out;
    for (const char c : json) {
      if (c == ':' && !out.empty() && out.back() == '"') out += " \t\r\n :  \n";  // keys' colons (values hold colons too)
      else out += c;
    }
    return out;
  };
  const std::string spaced = spaced_out(kEvent);
  auto decoded = decode_text("{\"ver\\u0062\":\"delete\"," + spaced.substr(1));
  ASSERT_EQ(decoded.events.size(), 1u) << decoded.stats.malformed << " malformed";
  const Seen& e = decoded.events[0];
  EXPECT_EQ(e.verb, "create");
  EXPECT_EQ(e.username, "alice@example.com");
  EXPECT_EQ(e.groups, (std::vector<std::string>{"devs", "system:authenticated"}));
  EXPECT_EQ(e.resource, "pods");
  EXPECT_EQ(e.code, 201);
  EXPECT_EQ(e.timestamp, "2024-06-03T10:00:00.250000Z");
  EXPECT_EQ(e.request_object, spaced_out(R"({"kind":"Pod","spec":{"containers":[{"image":"nginx"}]}})"));
}

TEST(EventDecoder, OlderEventsWithoutApiVersionUseTheirTimestamp) {
  auto decoded = decode_text(R"({"kind":"Event","timestamp":"2017-09-11T19:55:05Z","auditID":"x","verb":"list",)"
                             R"("user":{"username":"system:admin"},"objectRef":{"resource":"pods"}})");
  ASSERT_EQ(decoded.events.size(), 1u);
  EXPECT_EQ(decoded.events[0].timestamp, "2017-09-11T19:55:05Z");
  EXPECT_EQ(decoded.events[0].time_us, 1505159705000000);
  EXPECT_EQ(decoded.events[0].code, 0);
}

TEST(EventDecoder, EventListBatchesAreEachEvent) {
  auto decoded = decode_text(R"({"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[)"
                             R"({"verb":"get","auditID":"1"},{"verb":"list","auditID":"2"}]})");
  ASSERT_EQ(decoded.events.size(), 2u);
  EXPECT_EQ(decoded.events[0].audit_id, "1");
  EXPECT_EQ(decoded.events[1].verb, "list");
}

TEST(EventDecoder, AzureDiagnosticRecordsHoldTheEventAsAString) {
  const std::string text =
      "{\n  \"records\": [\n"
      "    {\"category\": \"kube-audit\", \"properties\": {\"log\": \"{\\\"verb\\\":\\\"get\\\",\\\"auditID\\\":\\\"r1\\\"}\\n\"}},\n"
      "    {\"category\": \"kube-apiserver\", \"properties\": {\"log\": \"I0505 not json\"}},\n"
      "    {\"category\": \"kube-audit-admin\", \"properties\": {\"log\": \"{\\\"verb\\\":\\\"create\\\",\\\"auditID\\\":\\\"r2\\\"}\"}}\n"
      "  ]\n}\n";
  auto decoded = decode_text(text);
  ASSERT_EQ(decoded.events.size(), 2u);
  EXPECT_EQ(decoded.events[0].audit_id, "r1");
  EXPECT_EQ(decoded.events[0].line, 3u);   // each record's own line
  EXPECT_EQ(decoded.events[1].audit_id, "r2");
  EXPECT_EQ(decoded.events[1].line, 5u);
  EXPECT_EQ(decoded.stats.malformed, 0u) << "other categories are other logs, not malformed audit records";
}

TEST(EventDecoder, OneAzureRecordPerLineAsEventHubsDelivers) {
  auto decoded = decode_text(
      "{\"category\":\"kube-audit\",\"properties\":{\"log\":\"{\\\"verb\\\":\\\"get\\\",\\\"auditID\\\":\\\"h1\\\"}\"}}\n"
      "{\"category\":\"kube-audit\",\"properties\":{\"log\":\"{\\\"verb\\\":\\\"watch\\\",\\\"auditID\\\":\\\"h2\\\"}\"}}\n");
  ASSERT_EQ(decoded.events.size(), 2u);
  EXPECT_EQ(decoded.events[1].verb, "watch");
  EXPECT_EQ(decoded.events[1].line, 2u);
}

TEST(EventDecoder, GkeProtoPayloadIsMappedToEventFields) {
  auto decoded = decode_text(
      R"({"insertId":"g-1","logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{)"
      R"("@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"system:serviceaccount:ns:default-editor"},)"
      R"("methodName":"io.k8s.core.v1.pods.exec.create","resourceName":"core/v1/namespaces/ns/pods/nb-0/exec",)"
      R"("requestMetadata":{"callerIp":"203.0.113.9","callerSuppliedUserAgent":"kubectl"},"serviceName":"k8s.io"},)"
      R"("timestamp":"2024-06-03T10:00:00Z","resource":{"type":"k8s_cluster"}})"
      "\n"
      R"({"insertId":"g-2","protoPayload":{"authenticationInfo":{"principalEmail":"eve@example.com"},)"
      R"("methodName":"io.k8s.authorization.rbac.v1.clusterrolebindings.create","resourceName":"rbac.authorization.k8s.io/v1/clusterrolebindings/x",)"
      R"("status":{"code":7,"message":"forbidden"},"request":{"roleRef":{"name":"cluster-admin"}}},"timestamp":"2024-06-03T10:00:01Z"})");
  ASSERT_EQ(decoded.events.size(), 2u);
  const Seen& exec = decoded.events[0];
  EXPECT_EQ(exec.verb, "create");
  EXPECT_EQ(exec.resource, "pods");
  EXPECT_EQ(exec.subresource, "exec");
  EXPECT_EQ(exec.namespace_, "ns");
  EXPECT_EQ(exec.name, "nb-0");
  EXPECT_EQ(exec.username, "system:serviceaccount:ns:default-editor");
  EXPECT_EQ(exec.source_ips, std::vector<std::string>{"203.0.113.9"});
  EXPECT_EQ(exec.code, 200);
  EXPECT_EQ(exec.audit_id, "g-1");
  EXPECT_EQ(exec.time_us, 1717408800000000);
  const Seen& binding = decoded.events[1];
  EXPECT_EQ(binding.resource, "clusterrolebindings");
  EXPECT_EQ(binding.api_group, "rbac.authorization.k8s.io");
  EXPECT_EQ(binding.name, "x");
  EXPECT_EQ(binding.namespace_, "");
  EXPECT_EQ(binding.code, 403);
  EXPECT_EQ(binding.request_object, R"({"roleRef":{"name":"cluster-admin"}})");
}

TEST(EventDecoder, EksCloudWatchExportsHoldTheEventAsMessage) {
  const std::string event = R"({\"verb\":\"delete\",\"auditID\":\"e1\",\"user\":{\"username\":\"kubernetes-admin\"}})";
  auto filter = decode_text("{\"events\":[{\"logStreamName\":\"kube-apiserver-audit-1\",\"timestamp\":1717408800000,"
                            "\"message\":\"" + event + "\",\"ingestionTime\":1}],\"searchedLogStreams\":[]}");
  ASSERT_EQ(filter.events.size(), 1u);
  EXPECT_EQ(filter.events[0].verb, "delete");
  auto subscription = decode_text("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"/aws/eks/c/cluster\",\"logEvents\":"
                                  "[{\"id\":\"1\",\"timestamp\":1,\"message\":\"" + event + "\"}]}");
  ASSERT_EQ(subscription.events.size(), 1u);
  EXPECT_EQ(subscription.events[0].username, "kubernetes-admin");
  auto single = decode_text("{\"timestamp\":1717408800000,\"message\":\"" + event + "\"}");
  ASSERT_EQ(single.events.size(), 1u);
  EXPECT_EQ(single.events[0].audit_id, "e1");
}

TEST(EventDecoder, AJsonArrayOfEvents) {
  auto decoded = decode_text("[\n {\"verb\":\"get\",\"auditID\":\"1\"},\n {\"verb\":\"get\",\"auditID\":\"2\"}\n]\n");
  ASSERT_EQ(decoded.events.size(), 2u);
  EXPECT_EQ(decoded.events[1].line, 3u);
}

TEST(EventDecoder, MalformedLinesAreCountedWithTheirLineAndTheRestIsRead) {
  const std::string text = std::string(R"({"verb":"get","auditID":"1"})") + "\n" +
                           "this is not json\n" +
                           R"({"verb":"get","auditID":)" + "\n" +                  // truncated
                           R"({"verb":5,"auditID":"3"})" + "\n" +                  // wrong type
                           "{\"verb\":\"get\",\"auditID\":\"\xff\xfe\"}\n" +       // invalid UTF-8
                           R"({"kind": 0})" + "\n" +
                           R"({"kind":"Pod","metadata":{}})" + "\n" +             // not an event
                           R"({"user":{"username":["x"]},"verb":"get"})" + "\n" +
                           R"({"verb":"list","auditID":"9"})" + "\n";
  auto decoded = decode_text(text, "audit.log");
  ASSERT_EQ(decoded.events.size(), 2u);
  EXPECT_EQ(decoded.events[1].audit_id, "9");
  EXPECT_EQ(decoded.events[1].line, 9u);
  EXPECT_EQ(decoded.stats.malformed, 7u);
  ASSERT_EQ(decoded.stats.problems.size(), 7u);
  EXPECT_TRUE(decoded.stats.problems[0].starts_with("audit.log:2: not ")) << decoded.stats.problems[0];
  EXPECT_TRUE(decoded.stats.problems[1].starts_with("audit.log:3: ")) << decoded.stats.problems[1];
  EXPECT_EQ(decoded.stats.problems[2], "audit.log:4: verb: expected a string");
  EXPECT_TRUE(decoded.stats.problems[3].starts_with("audit.log:5: not JSON")) << decoded.stats.problems[3];
  EXPECT_EQ(decoded.stats.problems[4], "audit.log:6: kind: expected a string");
  EXPECT_TRUE(decoded.stats.problems[5].starts_with("audit.log:7: kind: \"Pod\" is not an audit Event"))
      << decoded.stats.problems[5];
  EXPECT_EQ(decoded.stats.problems[6], "audit.log:8: user.username: expected a string");
}

TEST(EventDecoder, OneBadRecordInABatchIsSkippedAlone) {
  auto decoded = decode_text(R"({"records":[{"properties":{"log":"{\"verb\":\"get\",\"auditID\":\"1\"}"}},)"
                             R"({"properties":{"log":"{not json"}},)"
                             R"({"properties":{"log":"{\"verb\":\"get\",\"auditID\":\"3\"}"}}]})");
  ASSERT_EQ(decoded.events.size(), 2u);
  EXPECT_EQ(decoded.stats.malformed, 1u);
  ASSERT_EQ(decoded.stats.problems.size(), 1u);
  EXPECT_NE(decoded.stats.problems[0].find("records[1]"), std::string::npos) << decoded.stats.problems[0];
}

TEST(EventDecoder, AByteOrderMarkIsNotPartOfTheLog) {
  auto decoded = decode_text("\xEF\xBB\xBF{\"verb\":\"get\",\"auditID\":\"1\"}\n");
  ASSERT_EQ(decoded.events.size(), 1u);
  EXPECT_EQ(decoded.stats.malformed, 0u);
}

TEST(EventDecoder, Rfc3339TimestampsWithOffsetsAndWithoutFractions) {
  EXPECT_EQ(parse_rfc3339_us("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_us("2024-06-03T10:00:00.5Z"), 1717408800500000);
  EXPECT_EQ(parse_rfc3339_us("2024-06-03T12:00:00+02:00"), 1717408800000000);
  EXPECT_EQ(parse_rfc3339_us("2024-02-29T00:00:00Z"), 1709164800000000);
  EXPECT_EQ(parse_rfc3339_us("yesterday"), 0);
  EXPECT_EQ(parse_rfc3339_us("2024-13-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_us("2024-06-03T10:00:00"), 0);   // no zone: not RFC 3339
}

// The reader keeps the last minute it parsed; whatever comes in between, each timestamp reads as
// parse_rfc3339_us reads it alone.
TEST(EventDecoder, ATimestampReaderReadsEachAsParsedAlone) {
  const std::vector<std::string> texts = {
      "2024-06-03T10:00:00.5Z",    "2024-06-03T10:00:59.999999Z", "2024-06-03T10:00:07+02:00",
      "2024-06-03T10:00:61Z",      "2024-06-03T10:00",            "2024-06-03T10:00:00",
      "2024-06-03T10:01:00Z",      "2024-06-03T10:00:01Z",        "2024-06-03 10:00:01z",
      "yesterday",                 "2024-06-03T10:00:02Z",        "2024-13-03T10:00:02Z",
      "2024-06-03T10:00:03-05:30", "2025-06-03T10:00:03Z",        "2024-06-03T10:00:0xZ",
  };
  TimestampReader read;
  for (int round = 0; round < 2; ++round)
    for (const auto& t : texts) EXPECT_EQ(read(t), parse_rfc3339_us(t)) << t;
  EXPECT_EQ(read("2024-06-03T10:00:07+02:00"), 1717401607000000);
}

}  // namespace
}  // namespace mg::audit::testing
