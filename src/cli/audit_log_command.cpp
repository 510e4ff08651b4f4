#include "cli/audit_log_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include "audit/cluster_controllers.hpp"
#include "audit/engine.hpp"
#include "audit/log_reader.hpp"
#include "audit/rule.hpp"
#include "cli/app.hpp"
#include "cli/common_options.hpp"
#include "cli/duration.hpp"
#include "core/log.hpp"
#include "kube/reader.hpp"
#include "report/report.hpp"

namespace mg::cli {
namespace {

struct RuleArgs {
  std::vector<std::string> rule_paths;
  bool no_default_rules = false;
};

struct AuditLogArgs {
  CommonOptions common;
  RuleArgs rules;
  std::vector<std::string> inputs;
  bool follow = false;
  bool skip_malformed = false;
  std::vector<std::string> controllers;
  std::vector<std::string> cluster_objects;
  std::string new_actor_after = "1h";
  std::string window = "2h";
  std::uint64_t max_line_bytes = audit::LogReadOptions{}.max_line_bytes;
  std::uint64_t max_findings = 100'000;
};

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }

core::Result<audit::RuleSet> load_rule_set(const RuleArgs& args) {
  std::vector<audit::RuleSource> sources;
  if (!args.no_default_rules) sources = audit::default_rule_sources();
  for (const auto& path : args.rule_paths) {
    auto more = audit::rule_sources_from(path);
    if (!more) return std::unexpected(more.error());
    for (auto& source : *more) sources.push_back(std::move(source));
  }
  if (sources.empty()) return core::fail(core::ErrorCode::invalid_usage, "no rules: --no-default-rules needs --rules");
  return audit::load_rules(sources);
}

// Controllers named by the cluster's manifests or `kubectl get -o json` (audit::controller_identities).
core::Result<std::vector<std::string>> controllers_from_objects(const std::vector<std::string>& paths,
                                                                const audit::RuleSet& rules) {
  if (paths.empty()) return std::vector<std::string>{};
  auto read = kube::read_paths(paths);
  if (!read) return std::unexpected(read.error());
  for (const auto& warning : read->warnings) core::log_warning(warning);
  auto out = audit::controller_identities(read->objects, rules.list("never_controller_identities"));
  core::log_info("controllers from the cluster's objects: " + std::to_string(out.size()));
  return out;
}

int run_audit_log(const AuditLogArgs& args) {
  const auto format = report::parse_format(args.common.format);
  if (args.follow && format == report::Format::sarif) {
    std::fprintf(stderr, "minerguard: error: --follow writes findings as they happen: use --format table or json, not sarif\n");
    return kExitBadInput;
  }
  auto catalog = prepare(args.common);
  if (!catalog) {
    std::fprintf(stderr, "minerguard: error: %s\n", catalog.error().message.c_str());
    return kExitBadInput;
  }
  auto rules = load_rule_set(args.rules);
  if (!rules) {
    std::fprintf(stderr, "minerguard: error: %s\n", rules.error().message.c_str());
    return kExitBadInput;
  }
  audit::EngineSettings settings;
  auto after = parse_duration(args.new_actor_after);
  auto window = parse_duration(args.window);
  if (!after || !window) {
    std::fprintf(stderr, "minerguard: error: %s\n", (!after ? after.error() : window.error()).message.c_str());
    return kExitBadInput;
  }
  settings.new_actor_after_us = after->count();
  settings.chain_window_us = window->count();
  settings.controllers = args.controllers;
  auto learned = controllers_from_objects(args.cluster_objects, *rules);
  if (!learned) {
    std::fprintf(stderr, "minerguard: error: --cluster-objects: %s\n", learned.error().message.c_str());
    return kExitBadInput;
  }
  settings.controllers.insert(settings.controllers.end(), learned->begin(), learned->end());
  auto engine = audit::Engine::create(std::move(*rules), *catalog, settings);
  if (!engine) {
    std::fprintf(stderr, "minerguard: error: %s\n", engine.error().message.c_str());
    return kExitBadInput;
  }

  const auto started = std::chrono::steady_clock::now();
  core::Report report;
  report.tool_version = MG_VERSION;
  report.command = "audit-log";
  report.rules = (*engine)->rule_infos();

  audit::LogReadOptions read_options;
  read_options.max_line_bytes = args.max_line_bytes;
  read_options.follow = args.follow;
  read_options.stop = &g_stop;
  if (args.follow) {
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
  }
  audit::EventDecoder decoder({}, (*engine)->decode_fields());
  std::vector<core::Finding> fresh;
  std::uint64_t malformed = 0;
  std::uint64_t dropped = 0;
  const bool progress = core::progress_enabled() && !args.follow;
  auto last_progress = std::chrono::steady_clock::now();
  for (const auto& input : args.inputs) {
    core::TargetResult target;
    target.target = input;
    target.kind = "audit-log";
    audit::LogStats stats;
    auto sink = [&](audit::Event& event) {
      (*engine)->process(event, fresh);
      if (args.follow) {
        for (const auto& finding : fresh) {
          const std::string line = report::render_line(finding, *format);
          std::fwrite(line.data(), 1, line.size(), stdout);
          std::fflush(stdout);
        }
      }
      // A hostile or endless log must not grow the report without end: past the limit findings are
      // counted (and still printed with --follow), not kept.
      for (auto& finding : fresh) {
        if (report.findings.size() < args.max_findings) report.findings.push_back(std::move(finding));
        else ++dropped;
      }
      fresh.clear();
      if (progress && ((*engine)->stats().events & 0xffff) == 0) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_progress > std::chrono::milliseconds(250)) {
          last_progress = now;
          core::show_progress(input + ": " + std::to_string((*engine)->stats().events) + " events, " +
                              std::to_string(report.findings.size()) + " findings");
        }
      }
    };
    core::log_info("reading " + input);
    auto read = audit::read_audit_log(input, read_options, decoder, sink, stats);
    if (progress) core::clear_progress();
    for (const auto& problem : stats.problems) core::log_warning(problem);
    if (stats.problems_dropped > 0)
      core::log_warning(input + ": " + std::to_string(stats.problems_dropped) + " more malformed lines not shown");
    if (!read) {
      std::fprintf(stderr, "minerguard: error: %s\n", read.error().message.c_str());
      target.error = read.error().message;
    }
    malformed += stats.malformed;
    target.stats["bytes"] = stats.bytes;
    target.stats["lines"] = stats.lines;
    target.stats["events"] = stats.events;
    target.stats["malformed"] = stats.malformed;
    report.stats["events"] += stats.events;
    report.stats["malformed"] += stats.malformed;
    report.stats["bytes"] += stats.bytes;
    report.targets.push_back(std::move(target));
  }
  if (dropped > 0) {
    core::log_warning(std::to_string(dropped) + " findings beyond --max-findings " + std::to_string(args.max_findings) +
                      " were counted, not kept");
    report.stats["findings_dropped"] = dropped;
  }
  auto incidents = (*engine)->incidents();
  if (args.follow) {
    for (const auto& incident : incidents) {
      const std::string line = report::render_line(incident, *format);
      std::fwrite(line.data(), 1, line.size(), stdout);
    }
    std::fflush(stdout);
  }
  report.stats["incidents"] = incidents.size();
  for (auto& incident : incidents) report.findings.push_back(std::move(incident));
  report.stats["findings"] = report.findings.size();
  report.stats["learned_controllers"] = (*engine)->stats().learned_controllers;
  report.stats["repeats"] = (*engine)->stats().repeats;
  report.raise_target_verdicts();  // each log's verdict from its own findings
  report.stats["elapsed_ms"] = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  if (malformed > 0 && !args.skip_malformed)
    core::log_warning(std::to_string(malformed) + " malformed line(s) or record(s): exit code 2 (--skip-malformed to accept them)");
  int code = kExitClean;
  if (args.follow) {
    code = report::exit_code(report, *core::parse_severity(args.common.fail_on));
    for (const auto& target : report.targets)
      if (!target.error.empty()) code = kExitBadInput;
  } else {
    code = finish(args.common, report);
  }
  if (malformed > 0 && !args.skip_malformed) code = kExitBadInput;
  return code;
}

void add_rule_options(CLI::App& command, RuleArgs& args) {
  command.add_option("--rules", args.rule_paths,
                     "Rule file or directory of *.yaml rule files, loaded after the default rules (repeatable; a "
                     "later definition of a rule, macro or list replaces the earlier one)");
  command.add_flag("--no-default-rules", args.no_default_rules, "Do not load the built-in rules");
}

}  // namespace

void add_audit_log_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AuditLogArgs>();
  auto* command = app.add_subcommand(
      "audit-log", "Find miner attacks in Kubernetes audit logs: detections and attack chains (AKS, GKE, EKS, plain)");
  command->add_option("inputs", args->inputs,
                      "Audit log files (JSON lines, or JSON exports; gzip too), or - for stdin")
      ->required();
  add_common_options(*command, args->common);
  add_rule_options(*command, args->rules);
  command->add_flag("--follow", args->follow,
                    "Keep reading as the file grows (and after rotation), printing findings as they happen; "
                    "Ctrl-C ends it with the attack chains");
  command->add_flag("--skip-malformed", args->skip_malformed,
                    "Malformed lines are warnings only (by default they make the exit code 2)");
  command->add_option("--controller", args->controllers,
                      "An identity that creates objects for others (glob over user.username), besides the rules' "
                      "controller_identities list; repeatable");
  command->add_option("--cluster-objects", args->cluster_objects,
                      "Manifests or kubectl JSON of the cluster: the service accounts of its Deployments, "
                      "StatefulSets and DaemonSets are controllers");
  command->add_option("--new-actor-after", args->new_actor_after,
                      "An actor first seen this long after the log begins is new (actor.new), for as long")
      ->capture_default_str();
  command->add_option("--window", args->window, "Longest gap between the steps of one attack chain")
      ->capture_default_str();
  command->add_option("--max-line-bytes", args->max_line_bytes, "Longest JSON line read; longer ones are malformed")
      ->capture_default_str();
  command->add_option("--max-findings", args->max_findings,
                      "Most findings kept for the report; more are counted (stats.findings_dropped)")
      ->capture_default_str();
  command->callback([args, &exit_code] { exit_code = run_audit_log(*args); });
}

namespace {

struct RulesArgs {
  RuleArgs rules;
  bool fields = false;
};

int run_rules_validate(const RulesArgs& args) {
  auto rules = load_rule_set(args.rules);
  if (!rules) {
    std::fprintf(stderr, "minerguard: error: %s\n", rules.error().message.c_str());
    return kExitBadInput;
  }
  std::printf("ok: %zu rules, %zu lists from %zu files\n", rules->rules.size(), rules->lists.size(),
              rules->sources.size());
  return kExitClean;
}

int run_rules_list(const RulesArgs& args) {
  if (args.fields) {
    for (const auto& name : audit::field_names()) std::printf("%s\n", name.c_str());
    return kExitClean;
  }
  auto rules = load_rule_set(args.rules);
  if (!rules) {
    std::fprintf(stderr, "minerguard: error: %s\n", rules.error().message.c_str());
    return kExitBadInput;
  }
  for (const auto& rule : rules->rules) {
    std::printf("%-11s %-8s %-20s %s  (%s:%d)\n", rule.info.id.c_str(), std::string(core::to_string(rule.info.severity)).c_str(),
                std::string(audit::to_string(rule.stage)).c_str(), rule.info.title.c_str(), rule.file.c_str(), rule.line);
  }
  const auto chain = audit::attack_chain_rule();
  std::printf("%-11s %-8s %-20s %s  (built in)\n", chain.id.c_str(), std::string(core::to_string(chain.severity)).c_str(),
              "chain", chain.title.c_str());
  for (const auto& id : rules->disabled) std::printf("%-11s disabled\n", id.c_str());
  return kExitClean;
}

}  // namespace

void add_rules_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RulesArgs>();
  auto* command = app.add_subcommand("rules", "Check and list audit-log rules (for rule authors)");
  command->require_subcommand(1);
  auto* validate = command->add_subcommand("validate", "Load the rules; report the first error with file and line");
  add_rule_options(*validate, args->rules);
  validate->callback([args, &exit_code] { exit_code = run_rules_validate(*args); });
  auto* list = command->add_subcommand("list", "List the rules that would run (id, severity, stage, title, file:line)");
  add_rule_options(*list, args->rules);
  list->add_flag("--fields", args->fields, "List the fields a condition can test instead");
  list->callback([args, &exit_code] { exit_code = run_rules_list(*args); });
}

}  // namespace mg::cli
