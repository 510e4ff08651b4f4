// The table for people: per target a header line, its findings most severe first with their
// place and top evidence, then one summary line. Everything taken from an image is passed
// through terminal_safe(); colours only when asked for.
#include <array>
#include <cctype>
#include <cstdio>
#include <string>

#include "report/ansi.hpp"
#include "report/finding_order.hpp"
#include "report/formatters.hpp"
#include "report/text.hpp"

namespace mg::report::detail {
namespace {

constexpr std::size_t kSeverityWidth = 8;  // "CRITICAL"
constexpr std::size_t kEvidenceShown = 3;
constexpr std::size_t kValueBytes = 120;
const std::string kDetailIndent(2 + kSeverityWidth + 2, ' ');
const std::string kEvidenceIndent = kDetailIndent + "  ";

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string evidence_line(const core::Evidence& evidence, bool verbose) {
  std::string line = terminal_safe(evidence.what) + ": " +
                     terminal_safe(verbose ? std::string(evidence.value) : truncate_utf8(evidence.value, kValueBytes));
  if (evidence.offset) {
    char at[32];
    std::snprintf(at, sizeof at, " @0x%llx", static_cast<unsigned long long>(*evidence.offset));
    line += at;
  }
  return line;
}

class TableWriter {
 public:
  TableWriter(const core::Report& report, const RenderOptions& options)
      : report_(report), options_(options), paint_(options.color) {}

  std::string write() {
    const auto ordered = ordered_findings(report_);
    std::size_t next = 0;
    for (std::size_t t = 0; t < report_.targets.size(); ++t) {
      const std::size_t first = next;
      while (next < ordered.size() && ordered[next].target_index == t) ++next;
      target_section(report_.targets[t], ordered, first, next);
    }
    if (next < ordered.size()) {
      out_ += paint_.bold("findings not tied to a listed target") + "\n";
      for (; next < ordered.size(); ++next) finding_block(ordered[next]);
    }
    if (report_.targets.empty() && report_.findings.empty()) out_ += "no targets\n";
    summary();
    return std::move(out_);
  }

 private:
  void target_section(const core::TargetResult& target, const std::vector<OrderedFinding>& ordered,
                      std::size_t first, std::size_t last) {
    std::string header = paint_.bold(terminal_safe(target.target));
    if (!target.kind.empty()) header += "  " + terminal_safe(target.kind);
    header += "  " + (target.error.empty() ? paint_.verdict(target.verdict, upper(core::to_string(target.verdict)))
                                           : paint_.error("ERROR"));
    header += "  " + plural(last - first, "finding");
    out_ += header + "\n";
    if (!target.error.empty()) out_ += "  " + paint_.error("error:") + " " + terminal_safe(target.error) + "\n";
    if (first == last && target.error.empty()) out_ += "  " + paint_.dim("no findings") + "\n";
    for (std::size_t i = first; i < last; ++i) finding_block(ordered[i]);
    if (options_.verbose && !target.stats.empty()) {
      std::string stats = "  stats:";
      for (const auto& [key, value] : target.stats) {
        // Appended piece by piece: `" " + std::string` here trips GCC 12's -Wrestrict at -O3.
        stats += ' ';
        stats += terminal_safe(key);
        stats += '=';
        stats += std::to_string(value);
      }
      out_ += paint_.dim(stats) + "\n";
    }
    out_ += "\n";
  }

  void finding_block(const OrderedFinding& entry) {
    const core::Finding& finding = *entry.finding;
    out_ += "  " + paint_.severity(finding.severity, pad(upper(core::to_string(finding.severity)), kSeverityWidth)) +
            "  " + terminal_safe(finding.rule_id) + "  " + terminal_safe(finding.title) + "\n";
    out_ += kDetailIndent + terminal_safe(entry.view.text) + "\n";
    const std::size_t shown = options_.verbose ? finding.evidence.size() : std::min(finding.evidence.size(), kEvidenceShown);
    for (std::size_t i = 0; i < shown; ++i) out_ += kEvidenceIndent + evidence_line(finding.evidence[i], options_.verbose) + "\n";
    if (shown < finding.evidence.size()) {
      out_ += kEvidenceIndent + paint_.dim("… " + std::to_string(finding.evidence.size() - shown) +
                                           " more (--verbose shows all)") + "\n";
    }
    if (options_.verbose) {
      if (!finding.techniques.empty()) {
        std::string techniques;
        for (const auto& t : finding.techniques) techniques += (techniques.empty() ? "" : ", ") + terminal_safe(t);
        out_ += kDetailIndent + "techniques: " + techniques + "\n";
      }
      if (!finding.remediation.empty()) out_ += kDetailIndent + "remediation: " + terminal_safe(finding.remediation) + "\n";
    }
  }

  void summary() {
    std::array<std::size_t, 5> counts{};
    for (const auto& finding : report_.findings) ++counts[static_cast<std::size_t>(finding.severity)];
    std::string line = "Summary: " + plural(report_.findings.size(), "finding") + " (";
    for (int s = static_cast<int>(core::Severity::critical); s >= 0; --s) {
      const auto severity = static_cast<core::Severity>(s);
      line += paint_.severity(severity, std::to_string(counts[static_cast<std::size_t>(s)]) + " " +
                                            std::string(core::to_string(severity)));
      if (s > 0) line += ", ";
    }
    line += ") in " + plural(report_.targets.size(), "target");
    std::size_t failed = 0;
    for (const auto& target : report_.targets) failed += target.error.empty() ? 0 : 1;
    if (failed > 0) line += ", " + paint_.error(std::to_string(failed) + " failed");
    const auto verdict = report_.verdict();
    line += "; verdict: " + paint_.verdict(verdict, upper(core::to_string(verdict)));
    out_ += line + "\n";
  }

  const core::Report& report_;
  const RenderOptions& options_;
  Painter paint_;
  std::string out_;
};

}  // namespace

std::string render_table(const core::Report& report, const RenderOptions& options) {
  return TableWriter(report, options).write();
}

}  // namespace mg::report::detail
