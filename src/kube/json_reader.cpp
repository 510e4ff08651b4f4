// JSON to objects with simdjson On-Demand: one value, a `List` as `kubectl get -o json` prints it,
// or several values one after another (iterate_many over one batch that spans the input). Values
// are built as they are iterated; numbers keep their text; lines come from each token's offset.
#include <simdjson.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "kube/json_tape_builder.hpp"
#include "kube/reader.hpp"
#include "kube/reader_support.hpp"

namespace mg::kube {
namespace {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using detail::where;

// Lines of offsets that only grow, as iteration visits tokens: each newline is counted once, so
// a whole document costs one pass and no table. Going back (only on error paths) starts over.
class LineCounter {
 public:
  // `count` false: every token is on line 1 (one-line JSON, as an audit event's objects are), and
  // no byte is looked at.
  LineCounter(const char* begin, const char* end, bool count = true)
      : begin_(begin), end_(end), pos_(begin), count_(count) {}

  int at(const char* p) {
    if (!count_) return 1;
    p = std::clamp(p, begin_, end_);
    if (p < pos_) {
      pos_ = begin_;
      line_ = 1;
    }
    line_ += static_cast<int>(std::count(pos_, p, '\n'));
    pos_ = p;
    return line_;
  }

 private:
  const char* begin_;
  const char* end_;
  const char* pos_;
  bool count_;
  int line_ = 1;
};

std::string_view trim_right(std::string_view s) {
  const std::size_t last = s.find_last_not_of(" \t\r\n");
  return last == std::string_view::npos ? std::string_view() : s.substr(0, last + 1);
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? — On-Demand validates a number only when asked
// for its value, and we keep the text instead.
bool is_json_number(std::string_view s) {
  auto digit = [&](std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') ++i;
  else while (digit(i)) ++i;
  if (i < s.size() && s[i] == '.') {
    if (!digit(++i)) return false;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

// Builds Values from the documents of one input, in order. Errors are simdjson's codes until the
// document is done; last() says where iteration was, for the message. Members and items are
// collected on two stacks reused for the whole input (an open collection's elements sit above its
// parent's), then moved into a container of exactly their number: no growth by doubling per node.
class TreeBuilder {
 public:
  TreeBuilder(const char* begin, const char* end, int max_depth, bool count_lines = true)
      : lines_(begin, end, count_lines), max_depth_(max_depth) {}

  // Before each document: forget the previous one's position and anything a failure left behind.
  void begin_document() {
    last_ = nullptr;
    too_deep_ = false;
    member_stack_.clear();
    item_stack_.clear();
  }

  error_code root(ondemand::document_reference& doc, Value& out) {
    ondemand::json_type type;
    if (auto error = doc.type().get(type)) return error;
    std::string_view token;
    if (auto error = doc.raw_json_token().get(token)) return error;
    const int line = mark(token.data());
    switch (type) {
      case ondemand::json_type::object:
      case ondemand::json_type::array: {
        ondemand::value value;
        if (auto error = doc.get_value().get(value)) return error;
        return build(value, 1, line, out);
      }
      case ondemand::json_type::string: {
        std::string_view text;
        if (auto error = doc.get_string().get(text)) return error;
        out = Value::string(std::string(text), line);
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::number:
        return number(token, line, out);
      case ondemand::json_type::boolean: {
        bool b = false;
        if (auto error = doc.get_bool().get(b)) return error;
        out = Value::boolean(b, line);
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::null: {
        bool null = false;
        if (auto error = doc.is_null().get(null)) return error;
        if (!null) return simdjson::N_ATOM_ERROR;
        out = Value::null_value(line);
        return simdjson::SUCCESS;
      }
    }
    return simdjson::TAPE_ERROR;
  }

  const char* last() const { return last_; }
  bool too_deep() const { return too_deep_; }

 private:
  int mark(const char* p) {
    last_ = p;
    return lines_.at(p);
  }

  error_code build(ondemand::value& value, int depth, int line, Value& out) {
    ondemand::json_type type;
    if (auto error = value.type().get(type)) return error;
    switch (type) {
      case ondemand::json_type::object: return object(value, depth, line, out);
      case ondemand::json_type::array: return array(value, depth, line, out);
      case ondemand::json_type::string: {
        std::string_view text;
        if (auto error = value.get_string().get(text)) return error;
        out = Value::string(std::string(text), line);
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::number: return number(value.raw_json_token(), line, out);
      case ondemand::json_type::boolean: {
        bool b = false;
        if (auto error = value.get_bool().get(b)) return error;
        out = Value::boolean(b, line);
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::null: {
        bool null = false;
        if (auto error = value.is_null().get(null)) return error;
        if (!null) return simdjson::N_ATOM_ERROR;
        out = Value::null_value(line);
        return simdjson::SUCCESS;
      }
    }
    return simdjson::TAPE_ERROR;
  }

  error_code enter(int depth) {
    if (depth <= max_depth_) return simdjson::SUCCESS;
    too_deep_ = true;
    return simdjson::DEPTH_ERROR;
  }

  // A member's value is reported on its key's line: that is the field to change.
  error_code object(ondemand::value& value, int depth, int line, Value& out) {
    if (auto error = enter(depth)) return error;
    ondemand::object object;
    if (auto error = value.get_object().get(object)) return error;
    const std::size_t base = member_stack_.size();
    for (auto result : object) {
      ondemand::field field;
      if (auto error = std::move(result).get(field)) return error;
      const int key_line = mark(field.key().raw());
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      std::string name(key);
      Value child;
      if (auto error = build(field.value(), depth + 1, key_line, child)) return error;
      member_stack_.emplace_back(std::move(name), std::move(child));
    }
    std::vector<Value::Member> members(std::make_move_iterator(member_stack_.begin() + static_cast<std::ptrdiff_t>(base)),
                                       std::make_move_iterator(member_stack_.end()));
    member_stack_.resize(base);
    out = Value::from_members(std::move(members), line);
    return simdjson::SUCCESS;
  }

  error_code array(ondemand::value& value, int depth, int line, Value& out) {
    if (auto error = enter(depth)) return error;
    ondemand::array array;
    if (auto error = value.get_array().get(array)) return error;
    const std::size_t base = item_stack_.size();
    for (auto result : array) {
      ondemand::value item;
      if (auto error = std::move(result).get(item)) return error;
      const int item_line = mark(item.raw_json_token().data());
      Value child;
      if (auto error = build(item, depth + 1, item_line, child)) return error;
      item_stack_.push_back(std::move(child));
    }
    std::vector<Value> items(std::make_move_iterator(item_stack_.begin() + static_cast<std::ptrdiff_t>(base)),
                             std::make_move_iterator(item_stack_.end()));
    item_stack_.resize(base);
    out = Value::from_items(std::move(items), line);
    return simdjson::SUCCESS;
  }

  static error_code number(std::string_view token, int line, Value& out) {
    token = trim_right(token);
    if (!is_json_number(token)) return simdjson::NUMBER_ERROR;
    out = Value::number(std::string(token), line);
    return simdjson::SUCCESS;
  }

  LineCounter lines_;
  int max_depth_;
  const char* last_ = nullptr;
  bool too_deep_ = false;
  std::vector<Value::Member> member_stack_;
  std::vector<Value> item_stack_;
};

// Stage 1 finds these before any token is visited, so there is no iteration offset: find the
// string at fault (a control character inside it, or no closing quote) by walking the strings.
std::size_t string_problem_offset(std::string_view text) {
  bool in_string = false;
  std::size_t opened = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!in_string) {
      if (c == '"') in_string = true, opened = i;
    } else if (c == '\\') {
      ++i;
    } else if (c == '"') {
      in_string = false;
    } else if (c < 0x20) {
      return i;
    }
  }
  return in_string ? opened : 0;
}

struct Failure {
  error_code code;
  std::size_t offset;
};

core::Error json_error(std::string_view text, std::string_view file, const ReadLimits& limits, Failure failure) {
  const std::string at = where(file, detail::line_at(text, failure.offset));
  if (failure.code == simdjson::DEPTH_ERROR)
    return core::Error{core::ErrorCode::limit_exceeded,
                       at + ": nested deeper than " + std::to_string(detail::depth_limit(limits)) +
                           " levels (--max-depth)"};
  if (failure.code == simdjson::CAPACITY || failure.code == simdjson::MEMALLOC)
    return core::Error{core::ErrorCode::limit_exceeded,
                       at + ": JSON too large to parse: " + simdjson::error_message(failure.code)};
  return core::Error{core::ErrorCode::invalid_input,
                     at + ": invalid JSON: " + simdjson::error_message(failure.code)};
}

static_assert(detail::kJsonPadding == simdjson::SIMDJSON_PADDING);

// `padded`: input is followed by SIMDJSON_PADDING readable bytes, so it is parsed in place.
core::Result<ReadResult> read_json(std::string_view input, std::string_view file, const ReadLimits& limits,
                                   bool padded) {
  ReadResult out;
  out.bytes = input.size();
  const std::string_view text = detail::skip_bom(input);
  if (auto ok = detail::check_input(text, file, limits); !ok) return std::unexpected(std::move(ok.error()));

  // simdjson reads up to SIMDJSON_PADDING bytes past the end; a string_view promises none
  // unless the caller says so.
  simdjson::padded_string copy;
  if (!padded) copy = simdjson::padded_string(text);
  const char* begin = padded ? text.data() : copy.data();
  auto fail_at = [&](error_code code, const char* where_ptr) {
    const std::size_t offset = where_ptr != nullptr ? static_cast<std::size_t>(where_ptr - begin) : 0;
    return std::unexpected(json_error(text, file, limits, Failure{code, offset}));
  };

  ondemand::parser parser;
  // One batch over the whole input: a document must fit in its batch, and a List is one document.
  const std::size_t batch = std::max<std::size_t>(text.size(), simdjson::dom::MINIMAL_BATCH_SIZE);
  ondemand::document_stream stream;
  if (auto error = parser.iterate_many(begin, text.size(), batch).get(stream)) return fail_at(error, nullptr);

  // A JSON value is bounded by --max-input-bytes alone: `kubectl get -A -o json` prints one
  // List of every object, and its size is the cluster's.
  TreeBuilder builder(begin, begin + text.size(), detail::depth_limit(limits));
  for (auto it = stream.begin(); it != stream.end(); ++it) {
    const char* start = begin + std::min(it.current_index(), text.size());
    ondemand::document_reference doc;
    if (auto error = (*it).get(doc)) {
      if (error == simdjson::UNCLOSED_STRING || error == simdjson::UNESCAPED_CHARS)
        return fail_at(error, begin + string_problem_offset(text));
      return fail_at(error, start);
    }
    builder.begin_document();
    Value root;
    if (auto error = builder.root(doc, root)) {
      if (builder.too_deep()) error = simdjson::DEPTH_ERROR;
      const char* stopped = builder.last();
      if (const char* location = nullptr; doc.current_location().get(location) == simdjson::SUCCESS)
        stopped = std::max(location, stopped != nullptr ? stopped : location);
      return fail_at(error, stopped != nullptr ? stopped : start);
    }
    detail::add_document(std::move(root), static_cast<int>(out.documents), file, out);
    ++out.documents;
  }
  // iterate_many stops quietly before a value that never ends.
  // Trailing blanks count as truncated too.
  if (const std::size_t cut = stream.truncated_bytes(); cut > 0) {
    const std::size_t first = text.find_first_not_of(" \t\r\n", text.size() - std::min(cut, text.size()));
    if (first != std::string_view::npos) return fail_at(simdjson::INCOMPLETE_ARRAY_OR_OBJECT, begin + first);
  }
  return out;
}

core::Result<ReadResult> read_json_guarded(std::string_view text, std::string_view file, const ReadLimits& limits,
                                           bool padded) {
  try {
    return read_json(text, file, limits, padded);
  } catch (const std::bad_alloc&) {
    return core::fail(core::ErrorCode::limit_exceeded, std::string(file) + ": out of memory reading JSON");
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string(file) + ": reading JSON failed: " + e.what());
  }
}

}  // namespace

core::Result<ReadResult> read_json_objects(std::string_view text, std::string_view file, const ReadLimits& limits) {
  return read_json_guarded(text, file, limits, false);
}

core::Result<Value> read_json_value(std::string_view text, std::string_view name, const ReadLimits& limits,
                                    JsonValueOptions options) {
  try {
    if (text.size() > limits.max_input_bytes)
      return core::fail(core::ErrorCode::limit_exceeded, std::string(name) + ": JSON value larger than " +
                                                             std::to_string(limits.max_input_bytes) + " bytes");
    // Text inside a buffer with padding after it is parsed where it is; other text is copied.
    simdjson::padded_string copy;
    if (!options.padded) copy = simdjson::padded_string(text);
    const char* begin = options.padded ? text.data() : copy.data();
    // Without line numbers, no token position is needed: the DOM tape builds the tree cheaper.
    if (!options.count_lines) {
      Value value;
      if (auto error = detail::build_json_tape_value(std::string_view(begin, text.size()), detail::depth_limit(limits), value))
        return std::unexpected(json_error(text, name, limits, Failure{error, 0}));
      return value;
    }
    // One parser per thread: a new one allocates its buffers on every call, which costs more than
    // parsing the small objects audit events carry.
    thread_local ondemand::parser parser;
    ondemand::document doc;
    if (auto error = parser.iterate(begin, text.size(), text.size() + simdjson::SIMDJSON_PADDING).get(doc))
      return std::unexpected(json_error(text, name, limits, Failure{error, 0}));
    TreeBuilder builder(begin, begin + text.size(), detail::depth_limit(limits), options.count_lines);
    builder.begin_document();
    ondemand::document_reference ref(doc);
    Value root;
    if (auto error = builder.root(ref, root)) {
      if (builder.too_deep()) error = simdjson::DEPTH_ERROR;
      const char* stopped = builder.last();
      const std::size_t offset = stopped != nullptr ? static_cast<std::size_t>(stopped - begin) : 0;
      return std::unexpected(json_error(text, name, limits, Failure{error, offset}));
    }
    if (const char* rest = nullptr; doc.current_location().get(rest) == simdjson::SUCCESS)
      return core::fail(core::ErrorCode::invalid_input, std::string(name) + ": trailing content after the JSON value");
    return root;
  } catch (const std::bad_alloc&) {
    return core::fail(core::ErrorCode::limit_exceeded, std::string(name) + ": out of memory reading JSON");
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string(name) + ": reading JSON failed: " + e.what());
  }
}

core::Result<void> read_json_value_into(Value& into, const simdjson::dom::element& parsed, std::string_view name,
                                        const ReadLimits& limits) {
  try {
    if (auto error = detail::build_json_tape_value(parsed, detail::depth_limit(limits), into))
      return std::unexpected(json_error({}, name, limits, Failure{error, 0}));
    return {};
  } catch (const std::bad_alloc&) {
    into = Value();
    return core::fail(core::ErrorCode::limit_exceeded, std::string(name) + ": out of memory reading JSON");
  }
}

core::Result<ReadResult> detail::read_padded_json_objects(std::string_view text, std::string_view file,
                                                          const ReadLimits& limits) {
  return read_json_guarded(text, file, limits, true);
}

}  // namespace mg::kube
