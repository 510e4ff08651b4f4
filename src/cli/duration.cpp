#include "cli/duration.hpp"

#include <charconv>
#include <string>

namespace mg::cli {

namespace {

core::Error not_a_duration(std::string_view text) {
  std::string message("\"");
  message.append(text).append("\" is not a duration (90s, 30m, 2h, 1d)");
  return core::Error{core::ErrorCode::invalid_usage, std::move(message)};
}

}  // namespace

core::Result<std::chrono::microseconds> parse_duration(std::string_view text) {
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::int64_t seconds = 0;
  if (ec != std::errc() || number < 0 || number > 10'000'000) {
    return std::unexpected(not_a_duration(text));
  }
  if (unit.empty() || unit == "s") seconds = number;
  else if (unit == "m") seconds = number * 60;
  else if (unit == "h") seconds = number * 3600;
  else if (unit == "d") seconds = number * 86400;
  else return std::unexpected(not_a_duration(text));
  return std::chrono::microseconds(seconds * 1'000'000);
}

}  // namespace mg::cli
