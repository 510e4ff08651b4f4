// compile(): one streaming Hyperscan database for the content kinds, one block-mode database for
// image references, a hostname table. Errors name the entry's file:line.
#include <cryptopp/sha.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "indicators/catalog.hpp"
#include "indicators/hs_catalog.hpp"
#include "indicators/kind.hpp"

namespace mg::indicators {
namespace detail {
namespace {

// Any byte outside [A-Za-z0-9_] is written as \xNN, so every literal is a valid Hyperscan regex.
std::string escape_literal(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() * 2);
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string at(const Indicator& indicator) { return indicator.file + ":" + std::to_string(indicator.line); }

core::Error entry_error(const Indicator& indicator, const std::string& message) {
  return core::Error{core::ErrorCode::invalid_input, at(indicator) + ": indicator '" + indicator.id + "': " + message};
}

struct CompileInput {
  std::vector<std::string> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
};

struct CompileErrorDeleter {
  void operator()(hs_compile_error_t* e) const { hs_free_compile_error(e); }
};

// Compiles; on failure returns the failing expression's index (or -1) and message.
Database compile_db(const CompileInput& input, unsigned mode, int& bad_index, std::string& message) {
  std::vector<const char*> exprs;
  for (const auto& e : input.expressions) exprs.push_back(e.c_str());
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  const hs_error_t rc = hs_compile_ext_multi(exprs.data(), input.flags.data(), input.ids.data(), nullptr,
                                             static_cast<unsigned>(exprs.size()), mode, nullptr, &db, &error);
  if (rc != HS_SUCCESS) {
    std::unique_ptr<hs_compile_error_t, CompileErrorDeleter> guard(error);
    bad_index = error ? error->expression : -1;
    message = error && error->message ? error->message : "unknown Hyperscan error";
    return nullptr;
  }
  return Database(db);
}


core::Result<void> compile_content(HsCatalog& catalog) {
  CompileInput input;
  for (std::uint32_t i = 0; i < catalog.indicators_.size(); ++i) {
    const Indicator& indicator = catalog.indicators_[i];
    if (!is_content_kind(indicator.kind)) continue;
    ContentPattern pattern;
    pattern.indicator = i;
    unsigned flags = 0;
    std::string expression;
    switch (indicator.kind) {
      case Kind::string:
      case Kind::hostname:
        expression = escape_literal(indicator.pattern);
        pattern.mode = MatchMode::literal;
        pattern.length = static_cast<std::uint32_t>(indicator.pattern.size());
        flags = HS_FLAG_SINGLEMATCH;  // the first occurrence is all we report
        break;
      case Kind::regex:
      case Kind::command:
        expression = indicator.pattern;
        // No start-of-match tracking: it cost a fifth of the scan's CPU on real layers. The hit's
        // text is the printable run or line that ends at the match (MatchMode::tail).
        flags = HS_FLAG_MULTILINE | HS_FLAG_SINGLEMATCH;
        pattern.mode = MatchMode::tail;
        break;
      case Kind::wallet:
        // Every end of the shape is a candidate; the checksum decides (no SINGLEMATCH).
        expression = indicator.pattern;
        pattern.mode = MatchMode::wallet;
        break;
      case Kind::port:
      case Kind::image:
        continue;
    }
    if (indicator.caseless) flags |= HS_FLAG_CASELESS;
    input.ids.push_back(static_cast<unsigned>(catalog.content_.size()));
    input.expressions.push_back(std::move(expression));
    input.flags.push_back(flags);
    catalog.content_.push_back(pattern);
  }
  if (input.expressions.empty()) return {};

  int bad = -1;
  std::string message;
  Database db = compile_db(input, HS_MODE_STREAM, bad, message);
  if (!db) {
    if (bad < 0 || static_cast<std::size_t>(bad) >= input.expressions.size()) {
      // Not attributable to one expression (e.g. the set as a whole is too large).
      return core::fail(core::ErrorCode::invalid_input, "the indicator catalog does not compile: " + message);
    }
    return std::unexpected(
        entry_error(catalog.indicators_[catalog.content_[bad].indicator], "pattern does not compile: " + message));
  }
  catalog.content_db_ = std::move(db);
  return {};
}

// Image patterns match a whole normalised reference: optional registry, the pattern, optional tag.
core::Result<void> compile_images(HsCatalog& catalog) {
  CompileInput input;
  for (std::uint32_t i = 0; i < catalog.indicators_.size(); ++i) {
    const Indicator& indicator = catalog.indicators_[i];
    if (indicator.kind != Kind::image) continue;
    input.expressions.push_back("^(?:(?:[a-z0-9-]+(?:[.:][a-z0-9.:-]+)+|localhost(?::[0-9]+)?)/)?(?:" +
                                indicator.pattern + ")(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$");
    input.flags.push_back(HS_FLAG_SINGLEMATCH | (indicator.caseless ? HS_FLAG_CASELESS : 0u));
    input.ids.push_back(i);
  }
  if (input.expressions.empty()) return {};
  int bad = -1;
  std::string message;
  Database db = compile_db(input, HS_MODE_BLOCK, bad, message);
  if (!db) {
    if (bad >= 0 && static_cast<std::size_t>(bad) < input.ids.size()) {
      return std::unexpected(entry_error(catalog.indicators_[input.ids[bad]], "image pattern does not compile: " + message));
    }
    return core::fail(core::ErrorCode::invalid_input, "the image patterns do not compile: " + message);
  }
  catalog.image_db_ = std::move(db);
  return {};
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct ScratchDeleter {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};

}  // namespace

std::vector<std::uint32_t> HsCatalog::match_hostname(std::string_view host) const {
  std::string name = lower(host);
  while (!name.empty() && name.back() == '.') name.pop_back();  // "pool.example." is absolute form
  std::vector<std::uint32_t> out;
  // The name itself, then each parent domain at a dot boundary.
  for (std::size_t from = 0; from < name.size();) {
    auto [first, last] = hostnames_.equal_range(name.substr(from));
    for (auto it = first; it != last; ++it) out.push_back(it->second);
    const auto dot = name.find('.', from);
    if (dot == std::string::npos) break;
    from = dot + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::uint32_t> HsCatalog::match_image(std::string_view reference) const {
  std::vector<std::uint32_t> out;
  if (!image_db_) return out;
  std::string ref(reference);
  if (auto at = ref.find('@'); at != std::string::npos) ref.resize(at);  // a digest pins, not names
  for (std::string_view prefix : {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
    if (ref.starts_with(prefix)) {
      ref.erase(0, prefix.size());
      break;
    }
  }
  if (ref.starts_with("library/")) ref.erase(0, 8);
  // Scratch per call keeps this const method thread-safe; image lookups are rare.
  hs_scratch_t* raw = nullptr;
  if (hs_alloc_scratch(image_db_.get(), &raw) != HS_SUCCESS) return out;
  std::unique_ptr<hs_scratch_t, ScratchDeleter> scratch(raw);
  auto on_match = [](unsigned id, unsigned long long, unsigned long long, unsigned, void* context) -> int {
    static_cast<std::vector<std::uint32_t>*>(context)->push_back(id);
    return 0;
  };
  hs_scan(image_db_.get(), ref.data(), static_cast<unsigned>(ref.size()), 0, scratch.get(), on_match, &out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace detail

core::Result<std::shared_ptr<const CompiledCatalog>> compile(std::vector<Indicator> indicators) {
  auto catalog = std::make_shared<detail::HsCatalog>();
  std::set<std::string, std::less<>> ids;
  for (const auto& indicator : indicators) {
    if (!ids.insert(indicator.id).second) {
      return std::unexpected(detail::entry_error(indicator, "duplicate id"));
    }
    if (indicator.pattern.empty()) return std::unexpected(detail::entry_error(indicator, "empty pattern"));
  }
  catalog->indicators_ = std::move(indicators);
  if (auto ok = detail::compile_content(*catalog); !ok) return std::unexpected(ok.error());
  if (auto ok = detail::compile_images(*catalog); !ok) return std::unexpected(ok.error());
  for (std::uint32_t i = 0; i < catalog->indicators_.size(); ++i) {
    const auto& indicator = catalog->indicators_[i];
    if (indicator.kind == Kind::hostname) catalog->hostnames_.emplace(detail::lower(indicator.pattern), i);
  }
  return std::shared_ptr<const CompiledCatalog>(std::move(catalog));
}

namespace {

constexpr std::string_view kMagic = "minerguard-catalog-db/1\n";

// What the database was compiled from: every field that changes a pattern or its flags.
std::string catalog_key(const std::vector<Indicator>& indicators) {
  CryptoPP::SHA256 hash;
  auto add = [&](std::string_view text) {
    const std::uint64_t size = text.size();
    hash.Update(reinterpret_cast<const CryptoPP::byte*>(&size), sizeof size);
    hash.Update(reinterpret_cast<const CryptoPP::byte*>(text.data()), text.size());
  };
  for (const auto& indicator : indicators) {
    add(indicator.id);
    add(to_string(indicator.kind));
    add(indicator.pattern);
    add(indicator.caseless ? "i" : "-");
    add(indicator.coin);
  }
  std::string digest(CryptoPP::SHA256::DIGESTSIZE, '\0');
  hash.Final(reinterpret_cast<CryptoPP::byte*>(digest.data()));
  return digest;
}

void put_u64(std::string& out, std::uint64_t value) { out.append(reinterpret_cast<const char*>(&value), sizeof value); }

bool get_u64(std::string_view& in, std::uint64_t& value) {
  if (in.size() < sizeof value) return false;
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return true;
}

core::Result<void> put_db(std::string& out, const hs_database_t* db) {
  if (db == nullptr) {
    put_u64(out, 0);
    return {};
  }
  char* bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS)
    return core::fail(core::ErrorCode::internal, "cannot serialize the Hyperscan database");
  put_u64(out, length);
  out.append(bytes, length);
  std::free(bytes);
  return {};
}

bool get_db(std::string_view& in, detail::Database& db) {
  std::uint64_t length = 0;
  if (!get_u64(in, length) || length > in.size()) return false;
  if (length == 0) return true;
  hs_database_t* loaded = nullptr;
  if (hs_deserialize_database(in.data(), length, &loaded) != HS_SUCCESS) return false;
  db.reset(loaded);
  in.remove_prefix(length);
  // A database built for other CPU features than this machine has cannot scan here.
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(loaded, &scratch) != HS_SUCCESS) return false;
  hs_free_scratch(scratch);
  return true;
}

}  // namespace

core::Result<std::string> serialize(const CompiledCatalog& compiled) {
  const auto* catalog = dynamic_cast<const detail::HsCatalog*>(&compiled);
  if (catalog == nullptr) return core::fail(core::ErrorCode::internal, "not a compiled catalog");
  std::string out(kMagic);
  out += catalog_key(catalog->indicators_);
  put_u64(out, catalog->content_.size());
  for (const auto& pattern : catalog->content_) {
    put_u64(out, pattern.indicator);
    put_u64(out, static_cast<std::uint64_t>(pattern.mode));
    put_u64(out, pattern.length);
  }
  if (auto ok = put_db(out, catalog->content_db_.get()); !ok) return std::unexpected(ok.error());
  if (auto ok = put_db(out, catalog->image_db_.get()); !ok) return std::unexpected(ok.error());
  return out;
}

core::Result<std::shared_ptr<const CompiledCatalog>> load_precompiled(std::vector<Indicator> indicators,
                                                                      std::string_view blob) {
  auto stale = [] {
    return core::fail(core::ErrorCode::unsupported, "the precompiled catalog does not fit this catalog or machine");
  };
  if (!blob.starts_with(kMagic)) return stale();
  blob.remove_prefix(kMagic.size());
  const std::string key = catalog_key(indicators);
  if (!blob.starts_with(key)) return stale();
  blob.remove_prefix(key.size());
  auto catalog = std::make_shared<detail::HsCatalog>();
  std::uint64_t count = 0;
  if (!get_u64(blob, count) || count > indicators.size()) return stale();
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t indicator = 0, mode = 0, length = 0;
    if (!get_u64(blob, indicator) || !get_u64(blob, mode) || !get_u64(blob, length) || indicator >= indicators.size() ||
        mode > static_cast<std::uint64_t>(detail::MatchMode::wallet))
      return stale();
    catalog->content_.push_back({static_cast<std::uint32_t>(indicator), static_cast<detail::MatchMode>(mode),
                                 static_cast<std::uint32_t>(length)});
  }
  if (!get_db(blob, catalog->content_db_) || !get_db(blob, catalog->image_db_) || !blob.empty()) return stale();
  catalog->indicators_ = std::move(indicators);
  for (std::uint32_t i = 0; i < catalog->indicators_.size(); ++i) {
    const auto& indicator = catalog->indicators_[i];
    if (indicator.kind == Kind::hostname) catalog->hostnames_.emplace(detail::lower(indicator.pattern), i);
  }
  return std::shared_ptr<const CompiledCatalog>(std::move(catalog));
}

}  // namespace mg::indicators
