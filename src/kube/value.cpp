#include "kube/value.hpp"

#include <charconv>
#include <cstdio>

namespace mg::kube {

Value Value::null_value(int line) {
  Value v;
  v.line_ = line;
  return v;
}

Value Value::boolean(bool value, int line) {
  Value v;
  v.type_ = Type::boolean;
  v.text_ = value ? "true" : "false";
  v.line_ = line;
  return v;
}

Value Value::number(std::string text, int line) {
  Value v;
  v.type_ = Type::number;
  v.text_ = std::move(text);
  v.line_ = line;
  return v;
}

Value Value::string(std::string text, int line) {
  Value v;
  v.type_ = Type::string;
  v.text_ = std::move(text);
  v.line_ = line;
  return v;
}

Value Value::array(int line) {
  Value v;
  v.type_ = Type::array;
  v.line_ = line;
  return v;
}

Value Value::object(int line) {
  Value v;
  v.type_ = Type::object;
  v.line_ = line;
  return v;
}

const Value& Value::null_ref() {
  static const Value null;
  return null;
}

std::string_view Value::str(std::string_view fallback) const {
  // Kubernetes fields are strings, but YAML authors write `port: 80` or `value: true`; the text
  // is what the API server would see after its own conversion.
  return is_scalar() && !is_null() ? std::string_view(text_) : fallback;
}

std::optional<bool> Value::as_bool() const {
  if (type_ == Type::boolean || type_ == Type::string) {
    if (text_ == "true") return true;
    if (text_ == "false") return false;
  }
  return std::nullopt;
}

std::optional<std::int64_t> Value::as_int() const {
  if (type_ != Type::number && type_ != Type::string) return std::nullopt;
  std::int64_t out = 0;
  const char* end = text_.data() + text_.size();
  auto [ptr, ec] = std::from_chars(text_.data(), end, out);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return out;
}

const Value* Value::find(std::string_view key) const {
  if (type_ != Type::object) return nullptr;
  for (const auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

const Value* Value::find(std::initializer_list<std::string_view> path) const {
  const Value* at = this;
  for (auto key : path) {
    at = at->find(key);
    if (at == nullptr) return nullptr;
  }
  return at;
}

const Value& Value::operator[](std::string_view key) const {
  const Value* v = find(key);
  return v != nullptr ? *v : null_ref();
}

const Value& Value::operator[](std::size_t index) const {
  return type_ == Type::array && index < items_.size() ? items_[index] : null_ref();
}

Value& Value::push_back(Value item) {
  if (type_ == Type::null) type_ = Type::array;
  items_.push_back(std::move(item));
  return items_.back();
}

Value& Value::set(std::string key, Value value) {
  if (type_ == Type::null) type_ = Type::object;
  for (auto& [k, v] : members_) {
    if (k == key) {
      v = std::move(value);
      return v;
    }
  }
  members_.emplace_back(std::move(key), std::move(value));
  return members_.back().second;
}

bool Value::erase(std::string_view key) {
  for (auto it = members_.begin(); it != members_.end(); ++it) {
    if (it->first == key) {
      members_.erase(it);
      return true;
    }
  }
  return false;
}

Value* Value::find_mutable(std::string_view key) {
  if (type_ != Type::object) return nullptr;
  for (auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

namespace {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// Stops descending once the output is over the limit: evidence never needs the whole tree.
void append_json(std::string& out, const Value& value, std::size_t max_len) {
  if (out.size() > max_len) return;
  switch (value.type()) {
    case Value::Type::null: out += "null"; break;
    case Value::Type::boolean:
    case Value::Type::number: out += value.text(); break;
    case Value::Type::string: append_json_string(out, value.text()); break;
    case Value::Type::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.items()) {
        if (!first) out += ',';
        first = false;
        append_json(out, item, max_len);
        if (out.size() > max_len) break;
      }
      out += ']';
      break;
    }
    case Value::Type::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.members()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        append_json(out, member, max_len);
        if (out.size() > max_len) break;
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string to_json(const Value& value, std::size_t max_len) {
  std::string out;
  append_json(out, value, max_len);
  if (out.size() > max_len) {
    out.resize(max_len);
    out += "…";
  }
  return out;
}

}  // namespace mg::kube
