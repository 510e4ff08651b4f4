#include "core/finding.hpp"

#include <algorithm>
#include <cstdio>

namespace mg::core {
namespace {

const std::string& target_in(const ImageLocation& at) { return at.image; }
const std::string& target_in(const ObjectLocation& at) { return at.file; }
const std::string& target_in(const EventLocation& at) { return at.file; }

}  // namespace

const std::string& target_of(const Location& location) {
  return std::visit([](const auto& at) -> const std::string& { return target_in(at); }, location);
}

std::string printable(std::string_view bytes, std::size_t max_len) {
  std::string out;
  out.reserve(std::min(bytes.size(), max_len) + 8);
  for (unsigned char c : bytes) {
    if (out.size() >= max_len) {
      out += "…";
      break;
    }
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace mg::core
