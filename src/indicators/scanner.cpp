// Scanner and Stream: Hyperscan streaming over one input at a time, with a bounded rolling tail so
// every hit carries its matched bytes even when the match straddles chunk boundaries.
#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

#include "indicators/hs_catalog.hpp"
#include "indicators/matcher.hpp"
#include "indicators/wallet.hpp"

namespace mg::indicators {
namespace {

constexpr std::size_t kTailBytes = 1024;  // bytes kept from earlier chunks
constexpr std::size_t kMaxText = 256;     // bytes of matched text a hit carries
constexpr std::size_t kMaxPiece = 1u << 30;  // hs_scan_stream takes an unsigned length
constexpr std::size_t kMoneroLengths[] = {95, 106};  // standard/subaddress, integrated

bool is_base58(unsigned char c) {
  return (c >= '1' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O') ||
         (c >= 'a' && c <= 'z' && c != 'l');
}

struct ScratchDeleter {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};

}  // namespace

// The state of one logical input. Its memory is fixed: Hyperscan's stream state, the tail, at most
// one hit per indicator and at most two wallet candidates per wallet indicator.
struct StreamState {
  struct Pending {
    std::uint32_t indicator;
    std::uint64_t offset;
    std::string text;
  };

  const detail::HsCatalog* catalog = nullptr;
  hs_stream_t* stream = nullptr;
  std::array<char, kTailBytes> tail{};
  std::size_t tail_len = 0;
  std::uint64_t size = 0;             // bytes fed so far
  std::vector<std::uint8_t> seen;     // per indicator: already hit
  std::vector<Hit> hits;
  std::vector<Pending> pending;       // wallet candidates ending at the last byte fed
  // Valid during a scan call: the bytes being scanned and their stream offset.
  std::string_view chunk;
  std::uint64_t chunk_start = 0;

  std::uint64_t window_start() const { return chunk_start - tail_len; }
  std::uint64_t window_end() const { return chunk_start + chunk.size(); }

  unsigned char byte_at(std::uint64_t pos) const {
    if (pos >= chunk_start) return static_cast<unsigned char>(chunk[pos - chunk_start]);
    return static_cast<unsigned char>(tail[tail_len - (chunk_start - pos)]);
  }

  // Bytes [from, to), clamped to what the window still holds.
  std::string bytes(std::uint64_t from, std::uint64_t to) const {
    from = std::max(from, window_start());
    to = std::min(to, window_end());
    std::string out;
    if (from >= to) return out;
    out.reserve(to - from);
    for (auto pos = from; pos < to; ++pos) out += static_cast<char>(byte_at(pos));
    return out;
  }

  void accept(std::uint32_t indicator, std::uint64_t offset, std::string text) {
    if (seen[indicator]) return;
    seen[indicator] = 1;
    hits.push_back(Hit{indicator, offset, std::move(text)});
  }

  void push_tail(std::string_view piece) {
    if (piece.size() >= kTailBytes) {
      std::memcpy(tail.data(), piece.data() + piece.size() - kTailBytes, kTailBytes);
      tail_len = kTailBytes;
      return;
    }
    const std::size_t keep = std::min(tail_len, kTailBytes - piece.size());
    std::memmove(tail.data(), tail.data() + tail_len - keep, keep);
    std::memcpy(tail.data() + keep, piece.data(), piece.size());
    tail_len = keep + piece.size();
  }

  void on_wallet(std::uint32_t indicator, std::uint64_t end) {
    const bool at_chunk_end = end == window_end();
    for (std::size_t length : kMoneroLengths) {
      if (end < length || end - length < window_start()) continue;
      const std::uint64_t start = end - length;
      // An address is a whole base58 word: a base58 byte right before or after means this is a
      // slice of a longer run (random data, base64), not an address.
      if (start > 0 && start > window_start() && is_base58(byte_at(start - 1))) continue;
      if (!at_chunk_end && is_base58(byte_at(end))) continue;
      std::string candidate = bytes(start, end);
      if (!parse_monero_address(candidate)) continue;
      if (at_chunk_end) {
        pending.push_back(Pending{indicator, start, std::move(candidate)});  // next byte decides
      } else {
        accept(indicator, start, std::move(candidate));
      }
    }
  }

  void on_match(unsigned id, unsigned long long to) {
    const auto& pattern = catalog->content_patterns()[id];
    if (seen[pattern.indicator]) return;
    switch (pattern.mode) {
      case detail::MatchMode::literal: {
        const std::uint64_t start = to >= pattern.length ? to - pattern.length : 0;
        accept(pattern.indicator, start, bytes(start, std::min<std::uint64_t>(to, start + kMaxText)));
        return;
      }
      case detail::MatchMode::wallet:
        if (catalog->at(pattern.indicator).coin == "monero") {
          on_wallet(pattern.indicator, to);
          return;
        }
        [[fallthrough]];  // other coins are not validated: report the text like a tail match
      case detail::MatchMode::tail: {
        // No start offset: take the line, or in binary data the run of printable bytes (what
        // `strings` shows), that ends at the match; at most kMaxText bytes.
        const std::uint64_t begin = to >= kMaxText ? to - kMaxText : 0;
        std::string text = bytes(begin, to);
        if (text.size() > 1) {
          std::size_t cut = text.size() - 1;
          while (cut > 0) {
            const auto c = static_cast<unsigned char>(text[cut - 1]);
            if (c == '\n' || (c < 0x20 && c != '\t') || c == 0x7f) break;
            --cut;
          }
          text.erase(0, cut);
        }
        const std::uint64_t start = to - text.size();  // before the move below
        accept(pattern.indicator, start, std::move(text));
        return;
      }
    }
  }

  static int callback(unsigned id, unsigned long long /*from: not tracked*/, unsigned long long to, unsigned, void* context) {
    static_cast<StreamState*>(context)->on_match(id, to);
    return 0;  // keep scanning: other indicators may still hit
  }

  void feed(hs_scratch_t* scratch, std::string_view data) {
    while (!data.empty()) {
      const std::string_view piece = data.substr(0, kMaxPiece);
      data.remove_prefix(piece.size());
      // Wallet candidates that ended the previous piece: its first byte decides.
      for (auto& candidate : pending) {
        if (!is_base58(static_cast<unsigned char>(piece.front()))) {
          accept(candidate.indicator, candidate.offset, std::move(candidate.text));
        }
      }
      pending.clear();
      chunk = piece;
      chunk_start = size;
      if (stream) {
        [[maybe_unused]] const hs_error_t rc =
            hs_scan_stream(stream, piece.data(), static_cast<unsigned>(piece.size()), 0, scratch, callback, this);
        assert(rc == HS_SUCCESS);
      }
      push_tail(piece);
      size += piece.size();
      chunk = {};
      chunk_start = size;
    }
  }

  std::vector<Hit> finish(hs_scratch_t* scratch) {
    chunk = {};
    chunk_start = size;
    // Matches that need the end of data ($), then a fresh stream for the next input.
    if (stream) hs_reset_stream(stream, 0, scratch, callback, this);
    for (auto& candidate : pending) accept(candidate.indicator, candidate.offset, std::move(candidate.text));
    pending.clear();
    std::vector<Hit> out = std::move(hits);
    hits = {};
    std::sort(out.begin(), out.end(),
              [](const Hit& a, const Hit& b) { return a.offset != b.offset ? a.offset < b.offset : a.indicator < b.indicator; });
    std::fill(seen.begin(), seen.end(), 0);
    tail_len = 0;
    size = 0;
    return out;
  }
};

struct Scanner::Impl {
  std::shared_ptr<const CompiledCatalog> owner;
  const detail::HsCatalog* catalog = nullptr;
  std::unique_ptr<hs_scratch_t, ScratchDeleter> scratch;
  StreamState main;     // behind stream()
  StreamState oneshot;  // behind scan(), so a scan() between feeds does not disturb a stream
  std::unique_ptr<Stream> stream;

  ~Impl() {
    for (StreamState* state : {&main, &oneshot})
      if (state->stream) hs_close_stream(state->stream, nullptr, nullptr, nullptr);
  }
};

Scanner::Scanner() : impl_(std::make_unique<Impl>()) {}
Scanner::Scanner(Scanner&&) noexcept = default;
Scanner& Scanner::operator=(Scanner&&) noexcept = default;
Scanner::~Scanner() = default;

core::Result<Scanner> Scanner::create(std::shared_ptr<const CompiledCatalog> catalog) {
  const auto* hs_catalog = dynamic_cast<const detail::HsCatalog*>(catalog.get());
  if (!hs_catalog) return core::fail(core::ErrorCode::internal, "Scanner needs a catalog made by indicators::compile()");
  Scanner scanner;
  Impl& impl = *scanner.impl_;
  impl.owner = std::move(catalog);
  impl.catalog = hs_catalog;
  if (const hs_database_t* db = hs_catalog->content_db()) {
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
      return core::fail(core::ErrorCode::internal, "Hyperscan could not allocate scratch space for the indicator catalog");
    }
    impl.scratch.reset(scratch);
  }
  for (StreamState* state : {&impl.main, &impl.oneshot}) {
    state->catalog = hs_catalog;
    state->seen.assign(hs_catalog->indicators().size(), 0);
    if (const hs_database_t* db = hs_catalog->content_db()) {
      if (hs_open_stream(db, 0, &state->stream) != HS_SUCCESS) {
        return core::fail(core::ErrorCode::internal, "Hyperscan could not open a stream for the indicator catalog");
      }
    }
  }
  impl.stream.reset(new Stream(impl));
  return scanner;
}

std::vector<Hit> Scanner::scan(std::string_view bytes) {
  impl_->oneshot.feed(impl_->scratch.get(), bytes);
  return impl_->oneshot.finish(impl_->scratch.get());
}

Stream& Scanner::stream() { return *impl_->stream; }

const CompiledCatalog& Scanner::catalog() const { return *impl_->catalog; }

void Stream::feed(std::string_view chunk) { owner_.main.feed(owner_.scratch.get(), chunk); }

std::vector<Hit> Stream::finish() { return owner_.main.finish(owner_.scratch.get()); }

std::uint64_t Stream::size() const { return owner_.main.size; }

}  // namespace mg::indicators
