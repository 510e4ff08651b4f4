#include "image/content_inspector.hpp"

#include "image/archive_block.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <optional>
#include <string>
#include <utility>

namespace mg::image {
namespace {

// The longest head classify() looks at: a tar header's magic sits at byte 257.
constexpr std::size_t kHeadBytes = 512;

std::string join_inner(std::string_view outer, std::string_view inner) {
  if (outer.empty()) return std::string(inner);
  return std::string(outer) + "!/" + std::string(inner);
}

std::string base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return std::string(path.substr(slash == std::string_view::npos ? 0 : slash + 1));
}

// Replays the chunk already pulled for classification, then the rest of the entry, and feeds
// every byte to the raw stream so that nothing escapes scanning if the archive turns out corrupt.
struct Replay {
  EntryData& data;
  std::string_view first;
  indicators::Stream& raw;
  bool first_pending = true;
  bool ended = false;
  std::optional<core::Error> error;

  std::string_view pull() {
    if (first_pending) {
      first_pending = false;
      raw.feed(first);
      if (!first.empty()) return first;
    }
    if (ended || error) return {};
    std::uint64_t offset = 0;
    auto chunk = data.next(offset);
    if (!chunk) {
      error = chunk.error();
      return {};
    }
    if (chunk->empty()) ended = true;
    raw.feed(*chunk);
    return *chunk;
  }

  // Reads what libarchive left unread, so the raw stream sees the whole file.
  void drain() {
    while (!pull().empty()) {
    }
  }
};

la_ssize_t replay_read(struct archive*, void* client, const void** buffer) {
  auto* replay = static_cast<Replay*>(client);
  auto chunk = replay->pull();
  *buffer = chunk.data();
  return static_cast<la_ssize_t>(chunk.size());
}

// Entry data of a file inside a nested archive, charged against the top-level file's budget.
class NestedEntryData final : public EntryData {
 public:
  NestedEntryData(struct archive* archive, std::uint64_t& budget) : archive_(archive), budget_(budget) {}

  core::Result<std::string_view> next(std::uint64_t& offset) override {
    if (exhausted_) return std::string_view{};
    auto block = next_data_block(archive_, offset, "nested archive");
    if (!block) return block;
    std::size_t size = block->size();
    if (size >= budget_) {
      size = static_cast<std::size_t>(budget_);
      exhausted_ = true;
      limit_hit = true;
    }
    budget_ -= size;
    return block->substr(0, size);
  }

  bool limit_hit = false;

 private:
  struct archive* archive_;
  std::uint64_t& budget_;
  bool exhausted_ = false;
};

}  // namespace

struct ContentInspector::Impl {
  std::shared_ptr<const indicators::CompiledCatalog> catalog;
  NestedLimits limits;
  std::vector<indicators::Scanner> scanners;  // one per nesting depth: their streams run at once
  std::uint64_t files = 0;
  std::uint64_t nested_budget = 0;            // inflated bytes left for the current top-level file

  core::Result<void> inspect_stream(const TarEntry& entry, const std::string& inner, int depth, EntryData& data,
                                    std::vector<FileEvidence>& out);
  bool inspect_nested(const TarEntry& entry, const std::string& inner, int depth, Replay& source,
                      std::vector<FileEvidence>& out, std::string& incomplete);
};

core::Result<void> ContentInspector::Impl::inspect_stream(const TarEntry& entry, const std::string& inner, int depth,
                                                          EntryData& data, std::vector<FileEvidence>& out) {
  ++files;
  auto& stream = scanners[static_cast<std::size_t>(depth)].stream();
  std::uint64_t offset = 0;
  auto first = data.next(offset);
  if (!first) return std::unexpected(first.error());

  FileEvidence evidence;
  evidence.path = entry.path;
  evidence.inner_path = inner;
  evidence.size = entry.size;
  evidence.mode = entry.mode;
  const std::string name = inner.empty() ? entry.path : inner;
  evidence.kind = classify(name, first->substr(0, kHeadBytes));

  if (evidence.kind == FileKind::archive && depth < limits.max_depth && nested_budget > 0) {
    Replay replay{data, *first, stream, true, false, std::nullopt};
    std::vector<FileEvidence> nested;
    std::string incomplete;
    const bool opened = inspect_nested(entry, inner, depth, replay, nested, incomplete);
    replay.drain();
    auto raw_hits = stream.finish();
    if (replay.error) return std::unexpected(*replay.error);
    for (auto& item : nested) out.push_back(std::move(item));
    if (opened && incomplete.empty()) return {};  // every inner file was judged on its own
    evidence.hits = std::move(raw_hits);
    evidence.incomplete = std::move(incomplete);
    if (!evidence.hits.empty() || !evidence.incomplete.empty()) out.push_back(std::move(evidence));
    return {};
  }

  stream.feed(*first);
  while (!first->empty()) {
    auto chunk = data.next(offset);
    if (!chunk) {
      (void)stream.finish();
      return std::unexpected(chunk.error());
    }
    if (chunk->empty()) break;
    stream.feed(*chunk);
  }
  evidence.hits = stream.finish();
  if (!evidence.hits.empty()) out.push_back(std::move(evidence));
  return {};
}

bool ContentInspector::Impl::inspect_nested(const TarEntry& entry, const std::string& inner, int depth,
                                            Replay& source, std::vector<FileEvidence>& out,
                                            std::string& incomplete) {
  struct archive* archive = archive_read_new();
  archive_read_support_filter_all(archive);
  archive_read_support_format_all(archive);
  archive_read_support_format_raw(archive);  // a lone .gz / .zst / .xz file
  if (archive_read_open(archive, &source, nullptr, replay_read, nullptr) != ARCHIVE_OK) {
    // It has an archive's magic but no archive reader takes it: truncated or corrupt.
    const char* why = archive_error_string(archive);
    incomplete = std::string("archive is corrupt: ") + (why != nullptr ? why : "unreadable");
    archive_read_free(archive);
    return false;
  }
  bool opened = false;
  std::uint64_t entries = 0;
  for (;;) {
    struct archive_entry* header = nullptr;
    const int rc = archive_read_next_header(archive, &header);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      if (opened) {
        const char* why = archive_error_string(archive);
        incomplete = std::string("nested archive is corrupt: ") + (why != nullptr ? why : "unreadable header");
      }
      break;
    }
    opened = true;
    if (++entries > limits.max_entries) {
      incomplete = "nested archive has more than " + std::to_string(limits.max_entries) + " entries";
      break;
    }
    if (archive_entry_filetype(header) != AE_IFREG) continue;
    std::string name;
    if (archive_format(archive) == ARCHIVE_FORMAT_RAW) {
      // A lone compressed file: name it after its container, less the compression suffix.
      name = base_name(entry.path);
      if (auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    } else {
      const char* path = archive_entry_pathname(header);
      name = path != nullptr ? path : "";
    }
    TarEntry inner_entry;
    inner_entry.path = entry.path;
    inner_entry.size = static_cast<std::uint64_t>(archive_entry_size(header));
    inner_entry.mode = archive_entry_perm(header);
    NestedEntryData data(archive, nested_budget);
    auto inspected = inspect_stream(inner_entry, join_inner(inner, name), depth + 1, data, out);
    if (!inspected) {
      incomplete = "nested archive is corrupt at " + join_inner(inner, name) + ": " + inspected.error().message;
      break;
    }
    if (data.limit_hit) {
      incomplete = "inspection stopped after " + std::to_string(limits.max_bytes) + " inflated bytes";
      break;
    }
  }
  archive_read_free(archive);
  return opened;
}

ContentInspector::ContentInspector() : impl_(std::make_unique<Impl>()) {}
ContentInspector::ContentInspector(ContentInspector&&) noexcept = default;
ContentInspector::~ContentInspector() = default;

core::Result<ContentInspector> ContentInspector::create(std::shared_ptr<const indicators::CompiledCatalog> catalog,
                                                        const NestedLimits& limits) {
  ContentInspector inspector;
  inspector.impl_->catalog = catalog;
  inspector.impl_->limits = limits;
  for (int depth = 0; depth <= limits.max_depth; ++depth) {
    auto scanner = indicators::Scanner::create(catalog);
    if (!scanner) return std::unexpected(scanner.error());
    inspector.impl_->scanners.push_back(std::move(*scanner));
  }
  return inspector;
}

core::Result<void> ContentInspector::inspect(const TarEntry& entry, EntryData& data, std::vector<FileEvidence>& out) {
  impl_->nested_budget = impl_->limits.max_bytes;
  return impl_->inspect_stream(entry, "", 0, data, out);
}

std::vector<indicators::Hit> ContentInspector::scan(std::string_view bytes) { return impl_->scanners[0].scan(bytes); }

std::uint64_t ContentInspector::files_inspected() const { return impl_->files; }

}  // namespace mg::image
