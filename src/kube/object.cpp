#include "kube/object.hpp"

namespace mg::kube {

std::string_view Object::api_group() const {
  const auto version = api_version();
  const auto slash = version.find('/');
  return slash == std::string_view::npos ? std::string_view() : version.substr(0, slash);
}

std::string Object::ref() const {
  std::string out(kind());
  out += ' ';
  if (!namespace_().empty()) {
    out += namespace_();
    out += '/';
  }
  out += name();
  return out;
}

std::string Object::where() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line);
}

}  // namespace mg::kube
