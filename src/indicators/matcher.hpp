#pragma once
// Matching bytes, command lines, image names and hostnames against a compiled catalog.
// A CompiledCatalog is immutable and thread-safe; a Scanner (one per thread) owns the
// Hyperscan scratch space; a Stream follows one file's bytes across chunk boundaries.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "indicators/indicator.hpp"

namespace mg::indicators {

struct Hit {
  std::uint32_t indicator = 0;   // index into CompiledCatalog::indicators()
  std::uint64_t offset = 0;      // byte offset where the match starts (best known)
  std::string text;              // the matched bytes, at most 256, as found
};

class CompiledCatalog {
 public:
  virtual ~CompiledCatalog() = default;
  virtual std::span<const Indicator> indicators() const = 0;
  const Indicator& at(std::uint32_t index) const { return indicators()[index]; }

  // Image-reference patterns (kind image) matching `reference` ("docker.io/x/y:tag" or "x/y:tag").
  virtual std::vector<std::uint32_t> match_image(std::string_view reference) const = 0;
  // Hostname entries matching `host` exactly or as a parent domain.
  virtual std::vector<std::uint32_t> match_hostname(std::string_view host) const = 0;
};

class Stream;

class Scanner {
 public:
  // Fails only if Hyperscan cannot allocate scratch space.
  static core::Result<Scanner> create(std::shared_ptr<const CompiledCatalog> catalog);
  Scanner(Scanner&&) noexcept;
  Scanner& operator=(Scanner&&) noexcept;
  ~Scanner();

  // Whole buffer at once; hits de-duplicated per indicator (first occurrence, see Stream).
  std::vector<Hit> scan(std::string_view bytes);

  // A stream over one logical input (a file in a layer). Reusable after finish().
  Stream& stream();

  const CompiledCatalog& catalog() const;

 private:
  Scanner();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend class Stream;
};

class Stream {
 public:
  // Feeds the next chunk of the input. Matches may span chunks.
  void feed(std::string_view chunk);
  // Ends the input and returns its hits: one per indicator (the first occurrence), wallet hits
  // only where the address's checksum is valid. Resets the stream for the next input.
  std::vector<Hit> finish();
  // Bytes fed since the last finish().
  std::uint64_t size() const;

 private:
  explicit Stream(Scanner::Impl& owner) : owner_(owner) {}
  Scanner::Impl& owner_;
  friend class Scanner;
};

}  // namespace mg::indicators
