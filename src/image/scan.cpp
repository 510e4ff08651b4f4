#include "image/scan.hpp"

#include <algorithm>
#include <mutex>

#include "image/filesystem_view.hpp"
#include "image/finding_builder.hpp"
#include "image/image_config.hpp"
#include "image/image_rules.hpp"
#include "image/image_source.hpp"
#include "indicators/scoring.hpp"

namespace mg::image {
namespace {

constexpr std::uint64_t kProgressEvery = 8ull << 20;

// Counts the stored bytes of a layer as they pass, and reports progress.
class CountingReader final : public ChunkReader {
 public:
  CountingReader(ChunkReader& inner, std::function<void(std::uint64_t)> on_bytes)
      : inner_(inner), on_bytes_(std::move(on_bytes)) {}
  core::Result<std::string_view> next() override {
    auto chunk = inner_.next();
    if (chunk && !chunk->empty()) {
      pending_ += chunk->size();
      if (pending_ >= kProgressEvery) flush();
    }
    return chunk;
  }
  void flush() {
    if (pending_ > 0 && on_bytes_) on_bytes_(pending_);
    pending_ = 0;
  }

 private:
  ChunkReader& inner_;
  std::function<void(std::uint64_t)> on_bytes_;
  std::uint64_t pending_ = 0;
};

std::string short_digest(const std::string& digest) {
  auto colon = digest.find(':');
  return colon == std::string::npos ? digest : digest.substr(0, std::min(digest.size(), colon + 13));
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " ") + part;
  return out;
}

// The image configuration judged as one body of evidence: a wallet in Env and a pool in Cmd
// belong to the same miner.
std::optional<core::Finding> judge_config(const indicators::CompiledCatalog& catalog, ContentInspector& inspector,
                                          const ImageConfig& config, const LayerRef& ref) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (!config.entrypoint.empty() || !config.cmd.empty()) fields.emplace_back("config.Entrypoint+Cmd", join(config.argv()));
  for (const auto& env : config.env) fields.emplace_back("config.Env", env);
  for (const auto& [key, value] : config.labels) fields.emplace_back("config.Labels", key + "=" + value);
  for (std::size_t i = 0; i < config.history.size(); ++i)
    fields.emplace_back("history[" + std::to_string(i) + "].created_by", config.history[i]);

  std::vector<indicators::Hit> hits;
  std::vector<std::string> hit_field;  // parallel to hits: which field each came from
  for (const auto& [field, value] : fields) {
    for (auto& hit : inspector.scan(value)) {
      hit.text = field + ": " + hit.text;
      hits.push_back(std::move(hit));
      hit_field.push_back(field);
    }
  }
  const auto assessment = indicators::assess(catalog, hits);
  std::string_view rule_id;
  if (assessment.score >= kMinerScore && assessment.groups >= kMinerGroups) {
    rule_id = kRuleConfigStartsMiner;
  } else if (assessment.score >= kSuspiciousScore) {
    rule_id = kRuleMiningIndicators;
  } else {
    return std::nullopt;
  }
  // Locate the finding at the field of its strongest hit.
  std::string field = "config";
  const auto& top = assessment.strongest.front().text;
  field = top.substr(0, top.find(": "));
  auto finding = make_finding(rule_id, core::ImageLocation{ref.image, -1, ref.digest, field, "", false});
  finding.evidence = describe(catalog, assessment);
  return finding;
}

std::uint64_t files_inspected(const std::vector<ContentInspector>& inspectors) {
  std::uint64_t sum = 0;
  for (const auto& inspector : inspectors) sum += inspector.files_inspected();
  return sum;
}

bool is_miner_rule(const std::string& id) {
  return id == kRuleMinerProgram || id == kRuleMinerConfig || id == kRuleMinerLauncher;
}

// Follows the Entrypoint (or Cmd when there is none) to the file it runs; if that file is a
// miner or a launcher we found, the image starts it.
core::Result<void> check_entrypoint(const ImageConfig& config, const FilesystemView& view, const LayerRef& ref,
                                    std::vector<core::Finding>& findings) {
  const auto argv = config.argv();
  if (argv.empty() || argv.front().empty()) return {};
  std::vector<std::string> candidates;
  const std::string& program = argv.front();
  if (program.front() == '/') {
    candidates.push_back(program.substr(1));
  } else if (program.find('/') == std::string::npos) {
    for (const char* dir : {"usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin"})
      candidates.push_back(std::string(dir) + "/" + program);
  } else {
    std::string wd = config.working_dir.empty() ? "" : config.working_dir.substr(config.working_dir.front() == '/');
    candidates.push_back(wd.empty() ? program : wd + "/" + program);
  }
  for (const auto& candidate : candidates) {
    auto resolved = view.resolve(candidate);
    if (!resolved) {
      return core::fail(resolved.error().code, "image config Entrypoint/Cmd: " + resolved.error().message);
    }
    for (const auto& finding : findings) {
      const auto& where = std::get<core::ImageLocation>(finding.location);
      if (!is_miner_rule(finding.rule_id) || where.deleted || !where.inner_path.empty() || where.path != *resolved)
        continue;
      auto starts = make_finding(kRuleConfigStartsMiner, core::ImageLocation{ref.image, -1, ref.digest,
                                                                             "config.Entrypoint+Cmd", "", false});
      starts.evidence.push_back({"starts", join(argv), std::nullopt});
      starts.evidence.push_back({"which is", "/" + *resolved + " (" + finding.rule_id + " in layer " +
                                                 std::to_string(where.layer_index) + ")",
                                 std::nullopt});
      findings.push_back(std::move(starts));
      return {};
    }
  }
  return {};
}

}  // namespace

core::Result<ImageScan> scan_image(const std::string& target,
                                   const std::shared_ptr<const indicators::CompiledCatalog>& catalog,
                                   const ScanOptions& options) {
  auto spec = parse_target(target);
  if (!spec) return std::unexpected(spec.error());
  auto source = open_source(*spec);
  if (!source) return std::unexpected(source.error());
  const ImageMetadata& meta = (*source)->metadata();

  // One inspector per worker: each owns Hyperscan scratch and streams.
  std::vector<ContentInspector> inspectors;
  for (int i = 0; i < std::max(options.workers, 1); ++i) {
    auto inspector = ContentInspector::create(catalog, options.nested);
    if (!inspector) return std::unexpected(inspector.error());
    inspectors.push_back(std::move(*inspector));
  }

  ImageScan scan;
  scan.target.target = target;
  scan.target.kind = std::string(to_string((*source)->kind()));
  auto& findings = scan.findings;

  // Known miner images by name.
  for (const auto& tag : meta.tags) {
    for (auto index : catalog->match_image(tag)) {
      auto finding = make_finding(kRuleKnownMinerImage, core::ImageLocation{target, -1, meta.config_digest,
                                                                            "RepoTags", "", false});
      finding.evidence.push_back({catalog->at(index).id, tag, std::nullopt});
      findings.push_back(std::move(finding));
    }
  }

  const LayerRef config_ref{target, -1, meta.config_digest};
  auto config = parse_image_config(meta.config_json, "config " + short_digest(meta.config_digest));
  if (!config) return std::unexpected(core::with_context(config.error(), target));
  if (auto finding = judge_config(*catalog, inspectors.front(), *config, config_ref)) findings.push_back(std::move(*finding));

  FilesystemView view;
  std::uint64_t total = 0;
  for (const auto& layer : meta.layers) total += layer.size;
  std::uint64_t bytes_done = 0;
  int layers_done = 0;
  std::uint64_t entries = 0;
  LayerStats sums;

  std::mutex mutex;  // guards view, findings, the counters and progress across workers
  auto walked = (*source)->for_each_layer(static_cast<int>(inspectors.size()), [&](const LayerInfo& layer,
                                                                                  ChunkReader& blob,
                                                                                  int worker) -> core::Result<void> {
    CountingReader counted(blob, [&](std::uint64_t n) {
      std::lock_guard lock(mutex);
      bytes_done += n;
      if (options.progress)
        options.progress({target, layer.index, static_cast<int>(meta.layers.size()), layers_done, bytes_done, total});
    });
    const LayerRef ref{target, layer.index, layer.digest.empty() ? layer.diff_id : layer.digest};
    std::vector<FileEvidence> evidence;
    auto& inspector = inspectors[static_cast<std::size_t>(worker)];
    auto stats = read_layer(layer, counted, options.layer, [&](const TarEntry& entry, EntryData& data) -> core::Result<void> {
      if (entry.whiteout || entry.opaque || entry.type == EntryType::symlink) {
        std::lock_guard lock(mutex);
        if (entry.whiteout) view.add_whiteout(layer.index, entry.path);
        else if (entry.opaque) view.add_opaque(layer.index, entry.path);
        else view.add_symlink(layer.index, entry.path, entry.link_target);
        return {};
      }
      if (entry.type != EntryType::file) return {};
      return inspector.inspect(entry, data, evidence);
    });
    counted.flush();
    if (!stats) return std::unexpected(stats.error());
    std::lock_guard lock(mutex);
    for (const auto& file : evidence) {
      if (auto finding = judge_file(*catalog, ref, file)) findings.push_back(std::move(*finding));
    }
    entries += stats->entries;
    sums.compressed_bytes += stats->compressed_bytes;
    sums.uncompressed_bytes += stats->uncompressed_bytes;
    ++layers_done;
    return {};
  });
  if (!walked) return std::unexpected(core::with_context(walked.error(), target));

  for (auto& finding : findings) {
    auto& where = std::get<core::ImageLocation>(finding.location);
    if (where.layer_index >= 0) where.deleted = view.deleted(where.layer_index, where.path);
  }
  if (auto checked = check_entrypoint(*config, view, config_ref, findings); !checked)
    return std::unexpected(core::with_context(checked.error(), target));

  std::stable_sort(findings.begin(), findings.end(), [](const core::Finding& a, const core::Finding& b) {
    const auto& la = std::get<core::ImageLocation>(a.location);
    const auto& lb = std::get<core::ImageLocation>(b.location);
    if (a.severity != b.severity) return a.severity > b.severity;
    if (la.layer_index != lb.layer_index) return la.layer_index < lb.layer_index;
    return std::tie(la.path, la.inner_path) < std::tie(lb.path, lb.inner_path);
  });

  scan.target.verdict = core::verdict_of(findings);
  scan.target.stats = {
      {"layers", meta.layers.size()},
      {"entries", entries},
      {"files_inspected", files_inspected(inspectors)},
      {"bytes_stored", sums.compressed_bytes},
      {"bytes_uncompressed", sums.uncompressed_bytes},
  };
  return scan;
}

}  // namespace mg::image
