#pragma once
// Internal: Kind <-> catalog spelling.
#include <optional>
#include <string_view>

#include "indicators/indicator.hpp"

namespace mg::indicators::detail {

std::optional<Kind> parse_kind(std::string_view text);

// Kinds whose patterns go into the streaming content database.
bool is_content_kind(Kind kind);

}  // namespace mg::indicators::detail
