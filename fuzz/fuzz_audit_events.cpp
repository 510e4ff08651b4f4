// Feeds arbitrary bytes to the audit-log reader (JSON lines, or whole documents when the first
// line opens one) and every decoded event to the engine with the default rules, so the shapes'
// decoding, nested-JSON parsing, pod-template extraction and rule evaluation all see hostile input.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "audit/engine.hpp"
#include "audit/log_reader.hpp"
#include "indicators/catalog.hpp"

namespace {

mg::audit::Engine* engine() {
  static std::unique_ptr<mg::audit::Engine> instance = [] {
    auto catalog = mg::indicators::compiled_builtin_catalog();
    auto rules = mg::audit::load_rules(mg::audit::default_rule_sources());
    mg::audit::EngineSettings settings;
    settings.limits = {.max_actors = 10'000, .max_objects = 10'000};
    settings.max_findings = 10'000;
    auto created = mg::audit::Engine::create(std::move(*rules), *catalog, settings);
    return std::move(*created);
  }();
  return instance.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mg::audit::LogReadOptions options;
  options.max_line_bytes = 1u << 20;
  options.max_document_bytes = 4u << 20;
  mg::audit::EventDecoder decoder;
  mg::audit::LogStats stats;
  std::vector<mg::core::Finding> findings;
  mg::audit::read_audit_text(bytes, "fuzz.log", options, decoder,
                             [&](mg::audit::Event& event) { engine()->process(event, findings); }, stats);
  if (findings.size() > 1000) findings.clear();
  return 0;
}
