#include "image/image_rules.hpp"

#include <cassert>

namespace mg::image {

const std::vector<core::RuleInfo>& rules() {
  using core::Category;
  using core::Severity;
  // Technique ids: MS-TA9039 Resource hijacking and MS-TA9002 Compromised image in registry from
  // Microsoft's Threat Matrix for Kubernetes; T-numbers from MITRE ATT&CK.
  static const std::vector<core::RuleInfo> kRules{
      {std::string(kRuleMinerProgram), "MinerProgramInImage", "Crypto-miner program in an image layer",
       "An executable in the image carries the evidence of a cryptocurrency miner: its program strings, option "
       "table, algorithm names or constants, pool addresses. A container started from this image can mine for "
       "whoever built it (the 2020 Kubeflow campaign shipped XMRig this way).",
       Severity::critical, Category::miner, {"MS-TA9039", "MS-TA9002", "T1496"},
       "Do not deploy this image. Remove the program, rebuild from a trusted base, and find how it entered the "
       "build (base image, build step, registry account)."},
      {std::string(kRuleMinerConfig), "MinerConfigurationInImage", "Crypto-miner configuration in an image layer",
       "A configuration file names mining pools, a wallet or miner settings (donate level, RandomX, threads). "
       "Its presence means a miner is meant to run from this image.",
       Severity::high, Category::miner, {"MS-TA9039", "MS-TA9002", "T1496"},
       "Do not deploy this image; remove the configuration and the miner it configures, and rebuild."},
      {std::string(kRuleMinerLauncher), "MinerLauncherInImage", "Script downloads or starts a crypto-miner",
       "A script fetches or starts a miner with a pool and a wallet (wget|curl … xmrig … -o pool -u wallet): "
       "the image need not contain the miner to run one.",
       Severity::high, Category::miner, {"MS-TA9039", "MS-TA9002", "T1496", "T1105", "T1059.004"},
       "Do not deploy this image; remove the script and audit where the image's build steps came from."},
      {std::string(kRuleConfigStartsMiner), "ImageConfigStartsMiner", "Image configuration starts a crypto-miner",
       "The image's Entrypoint, Cmd, environment, labels or build history start, download or configure a miner "
       "(the 2021 shape: a genuine ML image whose command downloads and starts XMRig).",
       Severity::critical, Category::miner, {"MS-TA9039", "MS-TA9002", "T1496", "T1105", "T1059.004"},
       "Do not deploy this image; rebuild it without the miner command and check who changed its configuration."},
      {std::string(kRuleMiningIndicators), "MiningIndicatorsInImage", "Mining indicators in an image layer",
       "A file carries some evidence of mining (a pool address, a wallet, miner options) but less than the "
       "threshold for a miner. A person should look: it may be a packed or stripped miner, or a benign mention.",
       Severity::medium, Category::miner, {"MS-TA9039", "MS-TA9002", "T1496"},
       "Inspect the file named; if it is not expected in this image, remove it and rebuild."},
      {std::string(kRuleKnownMinerImage), "KnownMinerImage", "Image is a known crypto-miner image",
       "The image's repository or tag matches a miner image named in public reports (for example "
       "ddsfdfsaadfs/dfsdf, used against Kubeflow in 2020).",
       Severity::critical, Category::miner, {"MS-TA9039", "MS-TA9002", "T1496", "T1610"},
       "Do not deploy this image; block its repository at admission and find who referenced it."},
      {std::string(kRuleIncompleteInspection), "NestedArchiveNotInspected", "Nested archive not fully inspected",
       "An archive inside the image was corrupt or exceeded the inspection limits (depth, size, entries), so the "
       "files in it were only scanned as raw bytes. Oversized or malformed archives can hide a miner.",
       Severity::low, Category::evasion, {"T1027"},
       "Check what the archive is; raise the limits (--max-nested-bytes) to inspect it fully if it is expected."},
  };
  return kRules;
}

const core::RuleInfo& rule(std::string_view id) {
  for (const auto& info : rules()) {
    if (info.id == id) return info;
  }
  assert(false && "unknown image rule id");
  return rules().front();
}

}  // namespace mg::image
