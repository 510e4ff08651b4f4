// Feeds arbitrary bytes to the audit rule loader as a rule file that follows a small prelude (a
// list and a macro it may use, redefine or extend; the default rules would make every run parse
// them again, a hundred times slower); a rule set that loads is then compiled into an engine and
// run on one event.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "audit/engine.hpp"
#include "audit/log_reader.hpp"
#include "indicators/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto catalog = *mg::indicators::compiled_builtin_catalog();
  std::vector<mg::audit::RuleSource> sources = {
      {"prelude.yaml",
       "- list: write_verbs\n  items: [create, update, patch]\n"
       "- macro: not_failed\n  condition:\n    not: {field: responseStatus.code, between: [400, 599]}\n"},
      {"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)}};
  auto rules = mg::audit::load_rules(sources);
  if (!rules) return 0;
  auto engine = mg::audit::Engine::create(std::move(*rules), catalog);
  if (!engine) return 0;
  static const std::string event =
      R"({"verb":"create","auditID":"f","user":{"username":"system:serviceaccount:team:default-editor"},)"
      R"("objectRef":{"resource":"pods","namespace":"team","name":"p"},"responseStatus":{"code":201},)"
      R"("requestObject":{"kind":"Pod","apiVersion":"v1","spec":{"containers":[{"image":"ddsfdfsaadfs/dfsdf:99"}]}}})";
  mg::audit::EventDecoder decoder;
  mg::audit::LogStats stats;
  std::vector<mg::core::Finding> findings;
  mg::audit::read_audit_text(event, "fuzz.log", {}, decoder,
                             [&](mg::audit::Event& e) { (*engine)->process(e, findings); }, stats);
  (void)(*engine)->incidents();
  return 0;
}
