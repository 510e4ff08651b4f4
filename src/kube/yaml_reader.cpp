// Multi-document YAML to objects with yaml-cpp. The stream is split into documents here (so each
// is size-checked before yaml-cpp sees it, and lines stay global to the file); each document is
// parsed through yaml-cpp's event interface straight into a Value tree, without building YAML::Node
// graphs first. Aliases are expanded by copying, every node counted against the budget before it is
// made, so an anchor bomb stops early with bounded memory. Nesting is checked as the parser
// descends, which also bounds yaml-cpp's own recursion.
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "kube/reader.hpp"
#include "kube/reader_support.hpp"

namespace mg::kube {
namespace {

using detail::where;

// ---- The stream as documents --------------------------------------------------------------

struct Chunk {
  std::string_view text;
  int first_line = 0;  // 0-based line of text[0] in the file
};

// `---` / `...` at column 0, alone or followed by a space (`--- |`), mark documents.
bool is_marker(std::string_view line, std::string_view marker) {
  return line.starts_with(marker) &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

// Anything but blanks and a comment.
bool has_content(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  return first != std::string_view::npos && line[first] != '#';
}

// Leading comments and directives stay with the document that follows them; a chunk is emitted
// once it has a marker or content, so a file of comments only has no document.
std::vector<Chunk> split_documents(std::string_view text) {
  std::vector<Chunk> chunks;
  std::size_t start = 0, pos = 0;
  int start_line = 0, line = 0;
  bool content = false, marker = false;
  while (pos < text.size()) {
    const std::size_t newline = text.find('\n', pos);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    const std::size_t next = newline == std::string_view::npos ? text.size() : newline + 1;
    const std::string_view current = text.substr(pos, end - pos);
    if (is_marker(current, "---")) {
      if (content || marker) {
        chunks.push_back({text.substr(start, pos - start), start_line});
        start = pos;
        start_line = line;
      }
      marker = true;
      content = has_content(current.substr(3));
    } else if (is_marker(current, "...")) {
      if (content || marker) chunks.push_back({text.substr(start, next - start), start_line});
      start = next;
      start_line = line + 1;
      content = marker = false;
    } else if (!content) {
      content = has_content(current) && (marker || !current.starts_with('%'));
    }
    pos = next;
    ++line;
  }
  if (content || marker) chunks.push_back({text.substr(start), start_line});
  return chunks;
}

// yaml-cpp reads a std::istream; this one reads the document in place.
class MemoryBuffer final : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // a get area only: never written
    setg(begin, begin, begin + text.size());
  }
};

// ---- Scalars (YAML 1.2 core schema) --------------------------------------------------------

bool is_null_text(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

std::optional<bool> bool_text(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_of(std::string_view s, bool (*pred)(char)) { return !s.empty() && std::all_of(s.begin(), s.end(), pred); }

// [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ | [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
// .inf and .nan are left as strings: JSON has no spelling for them and Kubernetes takes none.
bool is_number_text(std::string_view s) {
  if (s.starts_with("0o")) return all_of(s.substr(2), [](char c) { return c >= '0' && c <= '7'; });
  if (s.starts_with("0x"))
    return all_of(s.substr(2), [](char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); });
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i == s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return i == s.size();
}

Value scalar_value(const std::string& tag, const std::string& text, int line) {
  // "!" is yaml-cpp's tag for a quoted or block scalar: always a string.
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return Value::string(text, line);
  if (tag == "tag:yaml.org,2002:null" || is_null_text(text)) return Value::null_value(line);
  if (auto b = bool_text(text)) return Value::boolean(*b, line);
  if (is_number_text(text)) return Value::number(text, line);
  return Value::string(text, line);
}

// ---- Events to a Value tree ----------------------------------------------------------------

// Thrown from the event handler to stop yaml-cpp mid-document; never leaves this file.
struct Stop {
  core::ErrorCode code;
  int line;
  std::string what;
};

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(int first_line, const ReadLimits& limits) : first_line_(first_line), limits_(limits) {}

  // The document just parsed (null when empty), leaving the builder ready for the next.
  Value take_root() {
    Value root = std::move(root_);
    root_ = Value();
    return root;
  }

  void OnDocumentStart(const YAML::Mark&) override {
    stack_.clear();
    anchors_.clear();
    nodes_ = 0;
    copied_ = 0;
    root_ = Value();
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    charge(1, line(mark));
    complete(Value::null_value(line(mark)), 0, 1, anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    charge(1, line(mark));
    complete(scalar_value(tag, text, line(mark)), 0, 1, anchor, tag == "?" && text == "<<");
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    // yaml-cpp rejects unknown anchors; one that is known but not complete is an alias to a node
    // that contains it.
    if (anchor >= anchors_.size() || !anchors_[anchor])
      throw Stop{core::ErrorCode::invalid_input, line(mark), "invalid YAML: alias to a node that contains it"};
    const Anchored& source = *anchors_[anchor];
    check_depth(static_cast<int>(stack_.size()) + source.height, mark);
    charge(source.nodes, line(mark), true);  // before the copy: a bomb stops here
    Value copy = source.value;
    copy.set_line(awaiting_value() && !copy.is_scalar() ? stack_.back().key_line : line(mark));
    complete(std::move(copy), source.height, source.nodes, YAML::NullAnchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(false, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(true, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool mapping = false;
    int line = 0;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t nodes_before = 0;  // nodes_ before this collection was opened
    int height = 0;                // levels of collections below it
    std::vector<Value> items;
    std::vector<Value::Member> members;
    std::optional<std::string> key;  // a key waiting for its value
    int key_line = 0;
    bool key_is_merge = false;
    std::vector<Value> merges;  // values of `<<` keys
  };
  struct Anchored {
    Value value;
    std::size_t nodes = 0;
    int height = 0;
  };

  int line(const YAML::Mark& mark) const { return first_line_ + std::max(mark.line, 0) + 1; }

  bool awaiting_value() const { return !stack_.empty() && stack_.back().mapping && stack_.back().key; }

  // Every node is counted (anchors need their sizes); only copies count against the limit:
  // the nodes written out are already bounded by --max-document-bytes, and an anchors bomb is
  // nothing but copies. A large `kubectl get -o yaml` List is one big document of literal nodes.
  void charge(std::size_t nodes, int at, bool copy = false) {
    nodes_ += nodes;
    if (copy) copied_ += nodes;
    if (copied_ > limits_.max_nodes_per_document)
      throw Stop{core::ErrorCode::limit_exceeded, at,
                 "document has more than " + std::to_string(limits_.max_nodes_per_document) +
                     " nodes copied by aliases (--max-nodes)"};
  }

  void check_depth(int depth, const YAML::Mark& mark) const {
    const int limit = detail::depth_limit(limits_);
    if (depth > limit)
      throw Stop{core::ErrorCode::limit_exceeded, line(mark),
                 "nested deeper than " + std::to_string(limit) + " levels (--max-depth)"};
  }

  void open(bool mapping, const YAML::Mark& mark, YAML::anchor_t anchor) {
    check_depth(static_cast<int>(stack_.size()) + 1, mark);
    charge(1, line(mark));
    Frame frame;
    frame.mapping = mapping;
    // A collection under a key is reported where its key is: that is the field to change.
    frame.line = awaiting_value() ? stack_.back().key_line : line(mark);
    frame.anchor = anchor;
    frame.nodes_before = nodes_ - 1;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    const std::size_t nodes = nodes_ - frame.nodes_before;
    const int height = frame.height + 1;
    if (frame.mapping && frame.key) frame.members.emplace_back(std::move(*frame.key), Value::null_value(frame.key_line));
    Value value = frame.mapping ? mapping_value(frame) : Value::from_items(std::move(frame.items), frame.line);
    complete(std::move(value), height, nodes, frame.anchor);
  }

  // `<<: *defaults` (YAML 1.1 merge keys, which kubectl honours): the mapping's own keys win, then
  // the merged mappings in the order given.
  static Value mapping_value(Frame& frame) {
    if (!frame.merges.empty()) {
      std::unordered_set<std::string> seen;
      for (const auto& member : frame.members) seen.insert(member.first);
      auto merge = [&](const Value& source) {
        for (const auto& [key, value] : source.members())
          if (seen.insert(key).second) frame.members.emplace_back(key, value);
      };
      for (const Value& source : frame.merges) {
        if (source.is_object()) {
          merge(source);
          continue;
        }
        const bool mappings = source.is_array() && std::all_of(source.items().begin(), source.items().end(),
                                                                [](const Value& v) { return v.is_object(); });
        if (!mappings)
          throw Stop{core::ErrorCode::invalid_input, source.line(),
                     "invalid YAML: a merge key '<<' needs a mapping or a list of mappings"};
        for (const Value& item : source.items()) merge(item);
      }
    }
    return Value::from_members(std::move(frame.members), frame.line);
  }

  static std::string key_text(const Value& key) {
    return key.is_scalar() ? std::string(key.text()) : to_json(key, 256);
  }

  void complete(Value value, int height, std::size_t nodes, YAML::anchor_t anchor, bool merge_key = false) {
    if (anchor != YAML::NullAnchor) remember(anchor, value, height, nodes);
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    Frame& parent = stack_.back();
    parent.height = std::max(parent.height, height);
    if (!parent.mapping) {
      parent.items.push_back(std::move(value));
    } else if (!parent.key) {
      parent.key = key_text(value);
      parent.key_line = value.line();
      parent.key_is_merge = merge_key;
    } else {
      if (parent.key_is_merge) parent.merges.push_back(std::move(value));
      else parent.members.emplace_back(std::move(*parent.key), std::move(value));
      parent.key.reset();
    }
  }

  // The copy an alias will be expanded from; it costs memory, so it is charged too.
  void remember(YAML::anchor_t anchor, const Value& value, int height, std::size_t nodes) {
    charge(nodes, value.line(), true);
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1);
    anchors_[anchor] = Anchored{value, nodes, height};
  }

  int first_line_;
  const ReadLimits& limits_;
  std::vector<Frame> stack_;
  std::vector<std::optional<Anchored>> anchors_;  // by yaml-cpp's anchor id (1, 2, … per document)
  std::size_t nodes_ = 0;
  std::size_t copied_ = 0;   // nodes made by alias expansion and kept for it
  Value root_;
};

// ---- Documents to objects ------------------------------------------------------------------

// The one document of a chunk as a Value; nullopt when it holds only comments.
core::Result<std::optional<Value>> parse_chunk(const Chunk& chunk, std::string_view file, const ReadLimits& limits) {
  MemoryBuffer buffer(chunk.text);
  std::istream stream(&buffer);
  TreeBuilder builder(chunk.first_line, limits);
  try {
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder)) return std::nullopt;  // comments only
    Value root = builder.take_root();
    // A chunk holds one document. yaml-cpp 0.7 answers a token it cannot place (a lone `,`) with
    // endless empty documents (jbeder/yaml-cpp#1040), so a second one means that token.
    if (parser.HandleNextDocument(builder))
      return core::fail(core::ErrorCode::invalid_input,
                        where(file, builder.take_root().line()) + ": invalid YAML: unexpected token");
    return root;
  } catch (const Stop& stop) {
    return core::fail(stop.code, where(file, stop.line) + ": " + stop.what);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp 0.7 refuses a 500th level ("bad file") before its events reach check_depth, so
    // a --max-depth of 500 or more ends here: the same message, with yaml-cpp's bound.
    return core::fail(core::ErrorCode::limit_exceeded,
                      where(file, chunk.first_line + (e.mark.is_null() ? 0 : e.mark.line) + 1) +
                          ": nested deeper than " + std::to_string(e.depth() - 1) + " levels (--max-depth)");
  } catch (const YAML::Exception& e) {
    const int line = chunk.first_line + (e.mark.is_null() ? 0 : e.mark.line) + 1;
    return core::fail(core::ErrorCode::invalid_input, where(file, line) + ": invalid YAML: " + e.msg);
  }
}

core::Result<void> read_chunk(const Chunk& chunk, std::string_view file, const ReadLimits& limits, ReadResult& out) {
  if (chunk.text.size() > limits.max_document_bytes)
    return core::fail(core::ErrorCode::limit_exceeded,
                      where(file, chunk.first_line + 1) + ": document " + std::to_string(out.documents + 1) + " is " +
                          std::to_string(chunk.text.size()) + " bytes, over the limit of " +
                          std::to_string(limits.max_document_bytes) + " bytes (--max-document-bytes)");
  auto root = parse_chunk(chunk, file, limits);
  if (!root) return std::unexpected(std::move(root.error()));
  if (!root->has_value()) return {};
  detail::add_document(std::move(**root), static_cast<int>(out.documents), file, out);
  ++out.documents;
  return {};
}

core::Result<ReadResult> read_yaml(std::string_view text, std::string_view file, const ReadLimits& limits) {
  ReadResult out;
  out.bytes = text.size();
  text = detail::skip_bom(text);
  if (auto ok = detail::check_input(text, file, limits); !ok) return std::unexpected(std::move(ok.error()));
  for (const Chunk& chunk : split_documents(text)) {
    if (auto ok = read_chunk(chunk, file, limits, out); !ok) return std::unexpected(std::move(ok.error()));
  }
  return out;
}

}  // namespace

core::Result<Value> read_yaml_value(std::string_view text, std::string_view name, int first_line,
                                    const ReadLimits& limits) {
  if (text.size() > limits.max_document_bytes)
    return core::fail(core::ErrorCode::limit_exceeded,
                      where(name, first_line) + ": " + std::to_string(text.size()) + " bytes, over the limit of " +
                          std::to_string(limits.max_document_bytes) + " bytes");
  try {
    auto root = parse_chunk(Chunk{text, std::max(first_line, 1) - 1}, name, limits);
    if (!root) return std::unexpected(std::move(root.error()));
    return root->has_value() ? std::move(**root) : Value::null_value(first_line);
  } catch (const std::bad_alloc&) {
    return core::fail(core::ErrorCode::limit_exceeded, std::string(name) + ": out of memory reading YAML");
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string(name) + ": reading YAML failed: " + e.what());
  }
}

core::Result<ReadResult> read_yaml_objects(std::string_view text, std::string_view file, const ReadLimits& limits) {
  try {
    return read_yaml(text, file, limits);
  } catch (const std::bad_alloc&) {
    return core::fail(core::ErrorCode::limit_exceeded, std::string(file) + ": out of memory reading YAML");
  } catch (const std::exception& e) {
    return core::fail(core::ErrorCode::internal, std::string(file) + ": reading YAML failed: " + e.what());
  } catch (...) {
    return core::fail(core::ErrorCode::internal, std::string(file) + ": reading YAML failed");
  }
}

}  // namespace mg::kube
