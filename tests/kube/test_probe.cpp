// The probe against a real HTTP server the test runs on loopback (port 0), through libcurl as a
// user's run would: a dashboard served openly, a redirect to Dex, a 403, a closed port.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>

#include "kube/probe.hpp"

namespace mg::kube {
namespace {

// Answers each connection with the canned response of the request's path; one request per
// connection, as curl sends it.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::map<std::string, std::string> responses) : responses_(std::move(responses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  void serve() {
    while (!stop_) {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::read(client, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      const auto start = request.find(' ') + 1;
      const std::string path = request.substr(start, request.find(' ', start) - start);
      auto it = responses_.find(path);
      const std::string response =
          it != responses_.end() ? it->second : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!::write(client, response.data(), response.size());
      ::close(client);
    }
  }

  std::map<std::string, std::string> responses_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string ok_html(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

class Probe : public ::testing::Test {
 protected:
  LoopbackServer server_{{
      {"/", ok_html("<html><head><title>Kubeflow Central Dashboard</title></head><body>"
                    "<main-page></main-page></body></html>")},
      {"/pipeline/", ok_html("<html><head><title>Kubeflow Pipelines</title></head></html>")},
      {"/protected/", "HTTP/1.1 302 Found\r\nLocation: /dex/auth?client_id=kubeflow-oidc-authservice&state=x\r\n"
                      "Content-Length: 0\r\nConnection: close\r\n\r\n"},
      {"/oauth/", "HTTP/1.1 302 Found\r\nLocation: /oauth2/start?rd=%2F\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
      {"/denied/", "HTTP/1.1 403 Forbidden\r\nContent-Length: 19\r\nConnection: close\r\n\r\nRBAC: access denied"},
      {"/form/", ok_html("<title>Log in to Your Account</title><form method=\"post\"><input type=\"password\" "
                         "name=\"password\"></form>")},
      {"/elsewhere/", "HTTP/1.1 301 Moved\r\nLocation: https://example.invalid/\r\nContent-Length: 0\r\n"
                      "Connection: close\r\n\r\n"},
  }};
  ProbeOptions options_{std::chrono::seconds(5), false};
};

TEST_F(Probe, DashboardServedWithoutLoginIsExposure) {
  const auto result = probe(server_.url("/"), options_);
  EXPECT_EQ(result.outcome, ProbeOutcome::exposed) << result.reason;
  EXPECT_EQ(result.status, 200);
  EXPECT_TRUE(result.kubeflow);
  EXPECT_EQ(result.title, "Kubeflow Central Dashboard");
  const auto finding = probe_finding(result);
  EXPECT_EQ(finding.rule_id, "MG-KUBE-007");
  EXPECT_EQ(finding.severity, core::Severity::critical);
  EXPECT_NE(finding.evidence.at(0).value.find("HTTP 200 served without credentials"), std::string::npos);
  EXPECT_EQ(std::get<core::ObjectLocation>(finding.location).name, server_.url("/"));
}

TEST_F(Probe, PipelinesUiIsKubeflowToo) {
  const auto result = probe(server_.url("/pipeline/"), options_);
  EXPECT_EQ(result.outcome, ProbeOutcome::exposed);
  EXPECT_TRUE(result.kubeflow);
}

TEST_F(Probe, RedirectToDexOrOauth2ProxyIsALogin) {
  for (const char* path : {"/protected/", "/oauth/"}) {
    const auto result = probe(server_.url(path), options_);
    EXPECT_EQ(result.outcome, ProbeOutcome::login_required) << path << ": " << result.reason;
    EXPECT_EQ(result.status, 302);
    const auto finding = probe_finding(result);
    EXPECT_EQ(finding.severity, core::Severity::info);
    EXPECT_EQ(finding.evidence.size(), 2u);  // the probe line and the Location
  }
}

TEST_F(Probe, ForbiddenAndLoginFormsAreLogins) {
  EXPECT_EQ(probe(server_.url("/denied/"), options_).outcome, ProbeOutcome::login_required);
  EXPECT_EQ(probe(server_.url("/form/"), options_).outcome, ProbeOutcome::login_required);
}

TEST_F(Probe, OtherAnswersAreInconclusive) {
  EXPECT_EQ(probe(server_.url("/missing"), options_).outcome, ProbeOutcome::inconclusive);
  const auto moved = probe(server_.url("/elsewhere/"), options_);
  EXPECT_EQ(moved.outcome, ProbeOutcome::inconclusive);  // a redirect is not followed, nor is it a login
  EXPECT_EQ(probe_finding(moved).severity, core::Severity::low);
}

TEST(ProbeNetwork, ClosedPortIsUnreachableNotAnError) {
  // Bind then close to get a port nobody listens on.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  const auto result = probe("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", {});
  EXPECT_EQ(result.outcome, ProbeOutcome::unreachable);
  EXPECT_FALSE(result.reason.empty());
}

TEST(ProbeNetwork, OnlyHttpSchemes) {
  const auto result = probe("file:///etc/passwd", {});
  EXPECT_EQ(result.outcome, ProbeOutcome::unreachable);
}

TEST(ProbeClassify, LocationIsMadePrintable) {
  const auto result = classify("http://x/", 302, "/dex/auth\x1b[31m", "");
  EXPECT_EQ(result.outcome, ProbeOutcome::login_required);
  EXPECT_EQ(result.location.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace mg::kube
