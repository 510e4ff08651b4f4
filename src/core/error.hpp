#pragma once
// The one error type of minerguard. Untrusted input that is wrong is an Error value,
// never an exception or a crash; an impossible state is an assertion (docs/architecture.md).
#include <expected>
#include <string>
#include <utility>

namespace mg::core {

enum class ErrorCode {
  invalid_input,    // the bytes the user gave us are malformed
  invalid_usage,    // the invocation is wrong (flags, targets)
  io,               // a file could not be opened or read
  unsupported,      // well-formed but not something we handle
  limit_exceeded,   // a resource bound was hit (size, ratio, depth)
  digest_mismatch,  // content does not match the digest its manifest promises
  internal,         // a library failed in a way the input cannot explain
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  // One line naming what is wrong and where (file, layer, line, offset).
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

// Prefixes the message with where it happened: "layer 2 (sha256:ab..): " + message.
inline Error with_context(Error error, std::string_view where) {
  error.message = std::string(where) + ": " + error.message;
  return error;
}

}  // namespace mg::core
