#include "cli/scan_command.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/app.hpp"
#include "cli/common_options.hpp"
#include "core/log.hpp"
#include "image/image_rules.hpp"
#include "image/scan.hpp"

namespace mg::cli {
namespace {

struct ScanArgs {
  CommonOptions common;
  std::vector<std::string> targets;
  std::uint64_t max_layer_bytes = 64ull << 30;
  std::uint64_t max_ratio = 1000;
  int max_nested_depth = 3;
  std::uint64_t max_nested_bytes = 1ull << 30;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

std::string megabytes(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

int run_scan(const ScanArgs& args) {
  auto catalog = prepare(args.common);
  if (!catalog) {
    std::fprintf(stderr, "minerguard: error: %s\n", catalog.error().message.c_str());
    return kExitBadInput;
  }
  image::ScanOptions options;
  options.layer.max_uncompressed = args.max_layer_bytes;
  options.layer.max_ratio = args.max_ratio;
  options.nested.max_depth = args.max_nested_depth;
  options.nested.max_bytes = args.max_nested_bytes;
  options.workers = args.jobs;

  const auto started = std::chrono::steady_clock::now();
  if (core::progress_enabled()) {
    options.progress = [started](const image::ScanProgress& p) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const double rate = seconds > 0 ? static_cast<double>(p.bytes) / seconds / 1e6 : 0.0;
      char line[512];
      std::snprintf(line, sizeof line, "scanning %s  layer %d/%d  %s%s  %.0f MB/s", p.target.c_str(),
                    p.layer_index + 1, p.layer_count, megabytes(p.bytes).c_str(),
                    p.total > 0 ? (" of " + megabytes(p.total)).c_str() : "", rate);
      core::show_progress(line);
    };
  }

  core::Report report;
  report.tool_version = MG_VERSION;
  report.command = "scan";
  report.rules = image::rules();
  for (const auto& target : args.targets) {
    core::log_info("scanning " + target);
    auto scanned = image::scan_image(target, *catalog, options);
    if (!scanned) {
      core::clear_progress();
      std::fprintf(stderr, "minerguard: error: %s\n", scanned.error().message.c_str());
      core::TargetResult failed;
      failed.target = target;
      failed.error = scanned.error().message;
      report.targets.push_back(std::move(failed));
      continue;
    }
    for (const auto& [key, value] : scanned->target.stats) report.stats[key] += value;
    report.targets.push_back(std::move(scanned->target));
    for (auto& finding : scanned->findings) report.findings.push_back(std::move(finding));
  }
  report.stats["elapsed_ms"] = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  return finish(args.common, report);
}

}  // namespace

void add_scan_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ScanArgs>();
  auto* command = app.add_subcommand("scan", "Find crypto-miners in container images, layer by layer");
  command->add_option("targets", args->targets,
                      "Images: docker-archive:PATH, oci:DIR[:REF], oci-archive:PATH[:REF], or a path (detected)")
      ->required();
  add_common_options(*command, args->common);
  command->add_option("-j,--jobs", args->jobs, "Layers to inspect at once (OCI layouts; a tar is read in order)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command->add_option("--max-layer-bytes", args->max_layer_bytes, "Most bytes one layer may inflate to")
      ->capture_default_str();
  command->add_option("--max-ratio", args->max_ratio, "Inflation ratio beyond which a layer is a decompression bomb")
      ->capture_default_str();
  command->add_option("--max-nested-depth", args->max_nested_depth, "Archives inside archives to open")
      ->check(CLI::Range(0, 8))
      ->capture_default_str();
  command->add_option("--max-nested-bytes", args->max_nested_bytes, "Inflated bytes to read from one file's archives")
      ->capture_default_str();
  command->callback([args, &exit_code] { exit_code = run_scan(*args); });
}

}  // namespace mg::cli
