#pragma once
#include <optional>
#include <string_view>

namespace mg::core {

// Ordered: a higher value is more severe, so severities compare with < and >.
enum class Severity { info = 0, low = 1, medium = 2, high = 3, critical = 4 };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

enum class Category { miner, dropper, exposure, privilege, credential_access, execution, evasion, policy };
std::string_view to_string(Category category);
std::optional<Category> parse_category(std::string_view text);

enum class Source { image, manifest, audit, runtime, admission };
std::string_view to_string(Source source);

// Per target: malicious = a miner or its config/launcher is present, suspicious = a human
// should look, clean = nothing at or above medium.
enum class Verdict { clean = 0, suspicious = 1, malicious = 2 };
std::string_view to_string(Verdict verdict);

}  // namespace mg::core
