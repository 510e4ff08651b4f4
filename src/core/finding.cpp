#include "core/finding.hpp"

#include <algorithm>
#include <cstdio>

namespace mg::core {

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
