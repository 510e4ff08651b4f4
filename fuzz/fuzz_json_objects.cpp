// Feeds arbitrary bytes to the JSON object reader (one value, a List, or several values), to
// read_objects, which picks the format by the first byte, and to read_json_value with and without
// line numbers (the On-Demand and the DOM tape builder).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kube/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mg::kube::ReadLimits limits;
  limits.max_input_bytes = 4u << 20;
  limits.max_document_bytes = 1u << 20;
  limits.max_nodes_per_document = 100'000;
  limits.max_depth = 64;
  (void)mg::kube::read_json_objects(bytes, "fuzz.json", limits);
  (void)mg::kube::read_objects(bytes, "fuzz", limits);
  (void)mg::kube::read_json_value(bytes, "fuzz", limits);
  (void)mg::kube::read_json_value(bytes, "fuzz", limits, {.padded = false, .count_lines = false});
  return 0;
}
