// The minerguard binary as users run it: exit codes, formats, --output, bad input messages.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "image_builder.hpp"
#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;
using mg::testing::Cli;
using mg::testing::slurp;

TEST_F(Cli, MinerImageExitsOneAndCleanImageZero) {
  mg::testing::write_docker_archive(mg::testing::miner_image(), dir_ / "miner.tar");
  mg::testing::write_oci_layout(mg::testing::clean_image(), dir_ / "clean", "latest");
  auto miner = run("scan " + (dir_ / "miner.tar").string());
  EXPECT_EQ(miner.code, 1) << miner.err;
  EXPECT_NE(miner.out.find("MG-IMG-001"), std::string::npos);
  EXPECT_NE(miner.out.find("MALICIOUS"), std::string::npos);
  EXPECT_EQ(miner.err, "");  // not a terminal: no progress, nothing else to say

  auto clean = run("scan oci:" + (dir_ / "clean").string());
  EXPECT_EQ(clean.code, 0) << clean.err;
  EXPECT_NE(clean.out.find("CLEAN"), std::string::npos) << clean.out;
}

TEST_F(Cli, FailOnCriticalStillFailsForMinerAndJsonIsTheReportContract) {
  mg::testing::write_docker_archive(mg::testing::miner_image(), dir_ / "miner.tar");
  mg::testing::write_oci_layout(mg::testing::clean_image(), dir_ / "clean", "latest");
  auto result = run("scan --format json --fail-on critical " + (dir_ / "miner.tar").string() + " oci:" +
                    (dir_ / "clean").string());
  EXPECT_EQ(result.code, 1) << result.err;
  auto report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["schema"], "minerguard.report/v1");
  EXPECT_EQ(report["verdict"], "malicious");
  ASSERT_EQ(report["targets"].size(), 2u);
  EXPECT_EQ(report["targets"][0]["verdict"], "malicious");
  EXPECT_EQ(report["targets"][1]["verdict"], "clean");
  ASSERT_FALSE(report["findings"].empty());
  const auto& location = report["findings"][0]["location"];
  EXPECT_TRUE(location.contains("layer_digest"));
  EXPECT_TRUE(location.contains("deleted"));
}

TEST_F(Cli, OutputFileAndSarif) {
  mg::testing::write_oci_archive(mg::testing::tf_like_image(), dir_ / "tf.tar", "latest");
  const auto sarif = dir_ / "out.sarif";
  auto result = run("scan --format sarif --output " + sarif.string() + " oci-archive:" + (dir_ / "tf.tar").string());
  EXPECT_EQ(result.code, 1) << result.err;
  EXPECT_EQ(result.out, "");
  auto log = nlohmann::json::parse(slurp(sarif));
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_FALSE(log["runs"][0]["results"].empty());
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << "temporary file left: " << entry.path();
  }
}

TEST_F(Cli, BadInputIsExitTwoWithOneLineNamingIt) {
  std::ofstream(dir_ / "random.bin") << std::string(4096, '\x5a');
  auto result = run("scan " + (dir_ / "random.bin").string());
  EXPECT_EQ(result.code, 2);
  ASSERT_FALSE(result.err.empty());
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_NE(result.err.find("random.bin"), std::string::npos) << result.err;

  auto spec = mg::testing::miner_image();
  spec.tamper.layer = 1;
  spec.tamper.wrong_layer_digest = true;
  mg::testing::write_oci_layout(spec, dir_ / "tampered", "latest");
  auto tampered = run("scan oci:" + (dir_ / "tampered").string());
  EXPECT_EQ(tampered.code, 2);
  EXPECT_NE(tampered.err.find("layer 1"), std::string::npos) << tampered.err;
  EXPECT_EQ(std::count(tampered.err.begin(), tampered.err.end(), '\n'), 1) << tampered.err;
}

TEST_F(Cli, UsageErrorsAreExitTwo) {
  EXPECT_EQ(run("scan").code, 2);
  EXPECT_EQ(run("scan --format xml x").code, 2);
  EXPECT_EQ(run("frobnicate").code, 2);
  EXPECT_EQ(run("--help").code, 0);
  auto version = run("--version");
  EXPECT_EQ(version.code, 0);
  EXPECT_NE(version.out.find("minerguard"), std::string::npos);
}

TEST_F(Cli, FailedOutputWriteKeepsThePreviousReport) {
  mg::testing::write_oci_layout(mg::testing::clean_image(), dir_ / "clean", "latest");
  const auto blocked = dir_ / "no-such-dir" / "report.json";
  auto result = run("scan --output " + blocked.string() + " oci:" + (dir_ / "clean").string());
  EXPECT_EQ(result.code, 2);
  EXPECT_NE(result.err.find("--output"), std::string::npos);
}

}  // namespace
