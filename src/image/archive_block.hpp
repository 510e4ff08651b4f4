#pragma once
// The one way minerguard reads an entry's data through libarchive: block by block, with the
// block's offset (sparse files skip their holes), errors as values naming `what` was read.
#include <archive.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mg::image {

// The next data block of the current entry of `archive`; an empty view at the entry's end.
inline core::Result<std::string_view> next_data_block(struct archive* archive, std::uint64_t& offset,
                                                      std::string_view what) {
  const void* buffer = nullptr;
  std::size_t size = 0;
  la_int64_t at = 0;
  const int rc = archive_read_data_block(archive, &buffer, &size, &at);
  if (rc == ARCHIVE_EOF) return std::string_view{};
  if (rc < ARCHIVE_WARN) {
    const char* why = archive_error_string(archive);
    return core::fail(core::ErrorCode::invalid_input, std::string(what) + ": " + (why != nullptr ? why : "unreadable data"));
  }
  offset = static_cast<std::uint64_t>(at);
  return std::string_view(static_cast<const char*>(buffer), size);
}

}  // namespace mg::image
