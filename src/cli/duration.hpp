#pragma once
// "90s", "30m", "2h", "1d" (or plain seconds) as a duration, for time options.
#include <chrono>
#include <string_view>

#include "core/error.hpp"

namespace mg::cli {

core::Result<std::chrono::microseconds> parse_duration(std::string_view text);

}  // namespace mg::cli
