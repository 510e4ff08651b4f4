// Feeds arbitrary bytes to the multi-document YAML object reader, with limits small enough that
// an anchor bomb or a deep nest is caught within the fuzzer's time and memory budget.
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
  (void)mg::kube::read_yaml_objects(bytes, "fuzz.yaml", limits);
  return 0;
}
