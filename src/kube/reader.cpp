// Choosing the format, reading files, directories and stdin (bounded), and what both parsers share:
// input checks, offsets as lines, and documents becoming objects.
#include "kube/reader.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <system_error>
#include <utility>

#include "kube/reader_support.hpp"

namespace mg::kube {

namespace detail {

std::string where(std::string_view file, int line) {
  std::string out(file);
  out += ':';
  out += std::to_string(line);
  return out;
}

int line_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::string_view skip_bom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

namespace {

// Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF). Only run once simdjson's validator
// has said something is wrong, so it can be simple.
std::size_t first_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    if ((lead & 0xE0) == 0xC0) length = 2;
    else if ((lead & 0xF0) == 0xE0) length = 3;
    else if ((lead & 0xF8) == 0xF0) length = 4;
    else return i;
    if (i + length > n) return i;
    std::uint32_t code = lead & (0x7Fu >> length);
    for (std::size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (bytes[i + k] & 0x3Fu);
    }
    const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return n;
}

std::string hex_byte(unsigned char byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", byte);
  return buf;
}

}  // namespace

core::Result<void> check_input(std::string_view text, std::string_view file, const ReadLimits& limits) {
  if (text.size() > limits.max_input_bytes)
    return core::fail(core::ErrorCode::limit_exceeded,
                      std::string(file) + ": " + std::to_string(text.size()) + " bytes, over the input limit of " +
                          std::to_string(limits.max_input_bytes) + " bytes (--max-input-bytes)");
  // PowerShell's `>` writes UTF-16: say so rather than "invalid UTF-8 at line 1".
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
    return core::fail(core::ErrorCode::unsupported,
                      where(file, 1) + ": UTF-16 text is not supported; convert the file to UTF-8");
  if (!simdjson::validate_utf8(text.data(), text.size())) {
    const std::size_t bad = first_invalid_utf8(text);
    const unsigned char byte = bad < text.size() ? static_cast<unsigned char>(text[bad]) : 0;
    return core::fail(core::ErrorCode::invalid_input,
                      where(file, line_at(text, bad)) + ": invalid UTF-8 (byte " + hex_byte(byte) + ")");
  }
  return {};
}

namespace {

// Why a mapping cannot be used as an object, or "" when it can.
std::string_view unusable(const Value& root) {
  if (!root.is_object()) return "not a mapping";
  const Value* kind = root.find("kind");
  if (kind == nullptr || kind->is_null()) return "no kind";
  if (!kind->is_string()) return "kind is not a string";
  if (kind->text().empty()) return "kind is empty";
  return {};
}

std::string skipped(std::string_view file, int line, int document, std::string_view why) {
  return where(file, line) + ": skipped document " + std::to_string(document + 1) + ": " + std::string(why);
}

// kubectl's `List` items carry their own kind; typed lists straight from the API server
// (`PodList`) do not, so an item without kind gets the list's element kind and apiVersion.
void add_list_items(Value& root, Value& items, int document, std::string_view file, ReadResult& out) {
  const std::string_view list_kind = root["kind"].text();
  const std::string element_kind(list_kind == "List" ? std::string_view() : list_kind.substr(0, list_kind.size() - 4));
  const std::string api_version(root["apiVersion"].str());
  std::vector<Value> elements = items.take_items();
  out.objects.reserve(out.objects.size() + elements.size());
  for (std::size_t i = 0; i < elements.size(); ++i) {
    Value& item = elements[i];
    const int line = item.line() != 0 ? item.line() : root.line();
    if (item.is_object() && !element_kind.empty()) {
      const Value* kind = item.find("kind");
      if (kind == nullptr || kind->is_null()) {
        item.set("kind", Value::string(element_kind, line));
        if (item.find("apiVersion") == nullptr && !api_version.empty())
          item.set("apiVersion", Value::string(api_version, line));
      }
    }
    if (const std::string_view why = unusable(item); !why.empty()) {
      out.warnings.push_back(where(file, line) + ": skipped items[" + std::to_string(i) + "] of document " +
                             std::to_string(document + 1) + " (" + std::string(list_kind) + "): " + std::string(why));
      continue;
    }
    out.objects.push_back(Object{std::move(item), std::string(file), line, document});
  }
}

}  // namespace

void add_document(Value root, int document, std::string_view file, ReadResult& out) {
  if (root.is_null()) return;  // an empty document says nothing
  const int line = root.line();
  if (const std::string_view why = unusable(root); !why.empty()) {
    out.warnings.push_back(skipped(file, line, document, why));
    return;
  }
  if (root["kind"].text().ends_with("List")) {
    if (Value* items = root.find_mutable("items"); items != nullptr && items->is_array()) {
      add_list_items(root, *items, document, file, out);
      return;
    }
  }
  out.objects.push_back(Object{std::move(root), std::string(file), line, document});
}

}  // namespace detail

namespace {

// `padded`: text is followed by detail::kJsonPadding readable bytes (see read_fd).
core::Result<ReadResult> read_any(std::string_view text, std::string_view file, const ReadLimits& limits,
                                  bool padded) {
  const std::string_view body = detail::skip_bom(text);
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  const bool json = first != std::string_view::npos && (body[first] == '{' || body[first] == '[');
  auto result = !json   ? read_yaml_objects(body, file, limits)
                : padded ? detail::read_padded_json_objects(body, file, limits)
                         : read_json_objects(body, file, limits);
  if (result) result->bytes = text.size();
  return result;
}

}  // namespace

core::Result<ReadResult> read_objects(std::string_view text, std::string_view file, const ReadLimits& limits) {
  return read_any(text, file, limits, false);
}

namespace {

namespace fs = std::filesystem;

core::Error cannot_read(std::string_view path, int error) {
  return core::Error{core::ErrorCode::io, std::string(path) + ": cannot read: " + std::strerror(error)};
}

core::Error over_input_limit(std::string_view path, std::uint64_t limit) {
  return core::Error{core::ErrorCode::limit_exceeded, std::string(path) + ": over the input limit of " +
                                                          std::to_string(limit) + " bytes (--max-input-bytes)"};
}

// read(2) until `want` bytes, end of file or an error (then `error` is set); returns the bytes read.
std::size_t read_up_to(int fd, char* buffer, std::size_t want, int& error) {
  std::size_t have = 0;
  while (have < want) {
    const ssize_t got = ::read(fd, buffer + have, want - have);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) error = errno;
    if (got <= 0) break;
    have += static_cast<std::size_t>(got);
  }
  return have;
}

// Reads to the end, never holding more than limit + 1 bytes (a pipe or stdin has no size to
// check beforehand). `expected` (a regular file's size) sizes the buffer once: the file is read
// into it and one small read past it confirms the end. The string returned ends with
// detail::kJsonPadding zero bytes that are not part of the text (see text_of), so the JSON reader
// parses it in place instead of copying it into a padded buffer.
core::Result<std::string> read_fd(int fd, std::string_view name, std::uint64_t limit, std::uint64_t expected) {
  constexpr std::size_t kChunk = 1 << 20;
  constexpr std::size_t kPad = detail::kJsonPadding;
  std::string data;
  int error = 0;
  bool eof = false;
  if (expected > 0 && expected <= limit) {
    const auto size = static_cast<std::size_t>(expected);
    data.resize_and_overwrite(size + kPad, [&](char* buffer, std::size_t) {
      const std::size_t got = read_up_to(fd, buffer, size, error);
      eof = got < size;
      return got;
    });
    if (error != 0) return std::unexpected(cannot_read(name, error));
    if (!eof) {  // the size was right unless a read past it finds more (a file still growing)
      char probe[512];
      const std::size_t more = read_up_to(fd, probe, sizeof probe, error);
      if (error != 0) return std::unexpected(cannot_read(name, error));
      eof = more < sizeof probe;
      data.append(probe, more);
    }
  }
  while (!eof && data.size() <= limit) {
    const std::size_t have = data.size();
    const std::size_t room = std::max(kChunk, data.capacity() - have);
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(room, limit + 1 - have));
    data.resize_and_overwrite(have + want, [&](char* buffer, std::size_t) {
      ssize_t got = 0;
      do {
        got = ::read(fd, buffer + have, want);
      } while (got < 0 && errno == EINTR);
      if (got < 0) error = errno;
      eof = got <= 0;
      return have + static_cast<std::size_t>(std::max<ssize_t>(got, 0));
    });
    if (error != 0) return std::unexpected(cannot_read(name, error));
  }
  if (data.size() > limit) return std::unexpected(over_input_limit(name, limit));
  data.resize(data.size() + kPad, '\0');  // within the capacity reserved above for a regular file
  return data;
}

// The text of a read_fd buffer, without its padding.
std::string_view text_of(const std::string& buffer) {
  return std::string_view(buffer).substr(0, buffer.size() - detail::kJsonPadding);
}

// Closes the descriptor on every path out of read_file.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

core::Result<std::string> read_file(const std::string& path, const ReadLimits& limits) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(cannot_read(path, errno));
  const FdCloser closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) return std::unexpected(cannot_read(path, errno));
  if (S_ISDIR(info.st_mode)) return std::unexpected(cannot_read(path, EISDIR));
  const bool regular = S_ISREG(info.st_mode);
  if (regular && static_cast<std::uint64_t>(info.st_size) > limits.max_input_bytes)
    return std::unexpected(core::Error{core::ErrorCode::limit_exceeded,
                                       path + ": " + std::to_string(info.st_size) + " bytes, over the input limit of " +
                                           std::to_string(limits.max_input_bytes) + " bytes (--max-input-bytes)"});
  return read_fd(fd, path, limits.max_input_bytes, regular ? static_cast<std::uint64_t>(info.st_size) : 0);
}

bool is_manifest_name(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".yaml" || extension == ".yml" || extension == ".json";
}

// Manifest files under a directory, recursively, in path order. Symlinked directories are not
// followed (no loops); symlinked files are read.
core::Result<std::vector<std::string>> manifests_under(const std::string& directory) {
  std::vector<fs::path> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(directory, fs::directory_options::none, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && is_manifest_name(it->path())) found.push_back(it->path());
  }
  if (ec) return std::unexpected(cannot_read(directory, ec.value()));
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  out.reserve(found.size());
  for (auto& path : found) out.push_back(path.string());
  return out;
}

// `text` comes from read_fd, so it is padded.
core::Result<void> read_one(const std::string& name, std::string_view text, const ReadLimits& limits, ReadResult& all) {
  auto result = read_any(text, name, limits, true);
  if (!result) return std::unexpected(std::move(result.error()));
  append(all, std::move(*result));
  return {};
}

}  // namespace

void append(ReadResult& into, ReadResult&& from) {
  into.bytes += from.bytes;
  into.documents += from.documents;
  into.objects.reserve(into.objects.size() + from.objects.size());
  std::move(from.objects.begin(), from.objects.end(), std::back_inserter(into.objects));
  std::move(from.warnings.begin(), from.warnings.end(), std::back_inserter(into.warnings));
}

core::Result<ReadResult> read_paths(const std::vector<std::string>& paths, const ReadLimits& limits) {
  ReadResult all;
  for (const std::string& path : paths) {
    if (path == "-") {
      auto text = read_fd(STDIN_FILENO, "-", limits.max_input_bytes, 0);
      if (!text) return std::unexpected(std::move(text.error()));
      if (auto done = read_one(path, text_of(*text), limits, all); !done)
        return std::unexpected(std::move(done.error()));
      continue;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec) return std::unexpected(cannot_read(path, ec.value()));
    std::vector<std::string> files;
    if (fs::is_directory(status)) {
      auto listed = manifests_under(path);
      if (!listed) return std::unexpected(std::move(listed.error()));
      if (listed->empty()) all.warnings.push_back(path + ": no .yaml, .yml or .json files");
      files = std::move(*listed);
    } else {
      files.push_back(path);
    }
    for (const std::string& file : files) {
      auto text = read_file(file, limits);
      if (!text) return std::unexpected(std::move(text.error()));
      if (auto done = read_one(file, text_of(*text), limits, all); !done)
        return std::unexpected(std::move(done.error()));
    }
  }
  return all;
}

}  // namespace mg::kube
