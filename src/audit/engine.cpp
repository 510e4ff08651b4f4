#include "audit/engine.hpp"

#include <fnmatch.h>
#include <hs.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include "audit/event_context.hpp"
#include "audit/rule_prefilter.hpp"
#include "audit/regex_set.hpp"
#include "core/finding.hpp"
#include "indicators/scoring.hpp"
#include "kube/container_evidence.hpp"
#include "kube/workload_checks.hpp"

namespace mg::audit {

core::RuleInfo attack_chain_rule() {
  core::RuleInfo rule;
  rule.id = std::string(kRuleAttackChain);
  rule.name = "AttackChain";
  rule.title = "Attack chain: findings of several stages by one actor or in one namespace";
  rule.description =
      "Findings of at least two stages of an attack (exposure, execution, credential access, privilege escalation, "
      "lateral movement, impact) that share the person behind them, the namespace they work in, or follow an "
      "exposure, within the correlation window. Each step lists the event's auditID.";
  rule.severity = core::Severity::critical;
  rule.category = core::Category::miner;
  rule.techniques = {"T1496", "T1610", "T1528"};
  rule.remediation =
      "Treat as an incident: stop the workloads listed, revoke the tokens and bindings the steps used, close the "
      "exposure, and read each step's event in the audit log.";
  return rule;
}

namespace {

constexpr std::size_t kImageCache = 100'000;

// What made a condition true. Tests only note the field and the value (views that live as long as
// the event); the evidence strings are built when the whole rule matches, so the many tests that
// pass on their way to a rule that fails allocate nothing.
struct Note {
  const Condition* test;
  std::string_view value;
};

struct Match {
  std::vector<Note> notes;
  std::vector<core::Evidence> evidence;     // from catalog judgements, built at once (rare)
  std::optional<core::Severity> severity;   // a catalog judgement's
  std::optional<core::Category> category;

  void clear() {
    notes.clear();
    evidence.clear();
    severity.reset();
    category.reset();
  }
  std::vector<core::Evidence> take_evidence() {
    std::vector<core::Evidence> out;
    out.reserve(notes.size() + evidence.size());
    for (const auto& note : notes) out.push_back({note.test->field.text, core::printable(note.value), std::nullopt});
    for (auto& e : evidence) out.push_back(std::move(e));
    return out;
  }
};

std::string_view host_of(std::string_view text) {
  if (auto scheme = text.find("://"); scheme != std::string_view::npos) text.remove_prefix(scheme + 3);
  if (auto at = text.find('@'); at != std::string_view::npos && at < text.find('/')) text.remove_prefix(at + 1);
  text = text.substr(0, text.find_first_of("/?# "));
  if (auto colon = text.rfind(':'); colon != std::string_view::npos && text.find(']') == std::string_view::npos)
    text = text.substr(0, colon);
  return text;
}

}  // namespace

struct Engine::Impl {
  EngineSettings settings;
  std::shared_ptr<const indicators::CompiledCatalog> catalog;
  indicators::Scanner scanner;
  IdentityBook identities;
  AttackChains chains;
  RegexScratch regex_scratch;
  std::vector<std::string> never_controllers;
  std::unordered_map<std::string, std::vector<std::uint32_t>> image_cache;
  // Rules skipped for events whose verb or resource they are not about (see RulePrefilter).
  RulePrefilter verbs{FieldId::verb}, resources{FieldId::resource};
  Match match;   // reused by every rule of every event
  EventContext::Buffers buffers;   // lent to each event's context
  // once_per: the values each such rule has reported, per rule index (bounded: cleared when full).
  std::vector<std::unordered_set<std::string>> reported;
  static constexpr std::size_t kOncePerValues = 100'000;

  // True when this rule already reported these values (the key is the field's values joined).
  bool repeated(std::size_t rule_index, const AuditRule& rule, EventContext& ctx) {
    if (!rule.once_per) return false;
    if (reported.size() <= rule_index) reported.resize(rule_index + 1);
    std::string key;
    for (auto value : ctx.values(*rule.once_per)) key.append(value).push_back('\n');
    auto& seen = reported[rule_index];
    if (seen.size() >= kOncePerValues) seen.clear();
    return !seen.insert(std::move(key)).second;
  }

  Impl(EngineSettings s, std::shared_ptr<const indicators::CompiledCatalog> c, indicators::Scanner sc,
       std::vector<std::string> controllers, std::vector<std::string> never)
      : settings(std::move(s)), catalog(std::move(c)), scanner(std::move(sc)),
        identities(std::move(controllers), settings.limits), chains(settings.chain_window_us),
        never_controllers(std::move(never)) {}

  const std::vector<std::uint32_t>& image_matches(std::string_view image) {
    std::string key(image);
    auto it = image_cache.find(key);
    if (it != image_cache.end()) return it->second;
    if (image_cache.size() >= kImageCache) image_cache.clear();
    return image_cache.emplace(std::move(key), catalog->match_image(image)).first->second;
  }

  // registry_not_in verdicts per test and image: a cluster runs few images, and each is parsed
  // and matched against the test's registries once (bounded: cleared when full).
  std::unordered_map<const Condition*, std::unordered_map<std::string, bool>> untrusted_images;
  bool untrusted(const Condition& c, std::string_view image) {
    if (image.empty() || kube::templated_image(image)) return false;
    auto& verdicts = untrusted_images[&c];
    std::string key(image);
    if (auto it = verdicts.find(key); it != verdicts.end()) return it->second;
    if (verdicts.size() >= kImageCache) verdicts.clear();
    const auto reference = kube::parse_image_reference(image);
    const bool verdict = std::none_of(c.values.begin(), c.values.end(),
                                      [&](const std::string& entry) { return kube::registry_allowed(reference, entry); });
    verdicts.emplace(std::move(key), verdict);
    return verdict;
  }

  static void note(Match& match, const Condition& c, std::string_view value) { match.notes.push_back({&c, value}); }

  // Container texts the catalog judged benign: most are, and the pods of one ReplicaSet,
  // StatefulSet or Job repeat their template's. A judgement depends on the texts alone (each
  // scanned on its own, then weighed together), so a repeat is not scanned again. Bounded by
  // bytes: cleared when full. Judgements with findings are not kept: they are rare and their
  // evidence points into the event's own texts.
  std::unordered_set<std::string> benign_texts;
  std::size_t benign_text_bytes = 0;
  static constexpr std::size_t kBenignTextBytes = 16u << 20;

  static std::string texts_key(const std::vector<kube::ContainerText>& texts) {
    std::string key;
    for (const auto& t : texts) {  // length-prefixed: no text can pass for two
      key.append(std::to_string(t.text.size())).push_back(':');
      key.append(t.text);
    }
    return key;
  }

  bool judge_command(const std::vector<kube::ContainerText>& texts, Match& match) {
    std::string key = texts_key(texts);
    if (benign_texts.contains(key)) return false;
    auto judged = kube::judge_texts(*catalog, scanner, texts);
    if (!judged) {
      if (benign_text_bytes + key.size() > kBenignTextBytes) {
        benign_texts.clear();
        benign_text_bytes = 0;
      }
      benign_text_bytes += key.size();
      benign_texts.insert(std::move(key));
      return false;
    }
    if (!match.severity || *match.severity < judged->severity) {
      match.severity = judged->severity;
      match.category = judged->category;
    }
    for (const auto& hit : judged->assessment.strongest) {
      const auto& indicator = catalog->at(hit.indicator);
      match.evidence.push_back({indicator.id + " (" + indicator.group + ", weight " + std::to_string(indicator.weight) + ")",
                                core::printable(hit.text), std::nullopt});
    }
    match.evidence.push_back({"score",
                              std::to_string(judged->assessment.score) + " from " +
                                  std::to_string(judged->assessment.groups) + " evidence groups (miner at " +
                                  std::to_string(indicators::kMinerScore) + ")",
                              std::nullopt});
    if (judged->where != nullptr) match.evidence.push_back({judged->where->field, core::printable(judged->where->text), std::nullopt});
    return true;
  }

  bool catalog_test(const Condition& c, EventContext& ctx, const std::vector<std::string_view>& values, Match& match) {
    switch (c.check) {
      case CatalogCheck::miner_image: {
        bool any = false;
        for (auto value : values) {
          const auto& hits = image_matches(value);
          if (hits.empty()) continue;
          any = true;
          note(match, c, value);
          for (auto index : hits) match.evidence.push_back({catalog->at(index).id, catalog->at(index).why, std::nullopt});
        }
        return any;
      }
      case CatalogCheck::miner_command: {
        bool any = false;
        if (c.field.id == FieldId::workload_commands) {
          const auto& w = ctx.workload();
          for (const auto& texts : w.texts) any = judge_command(texts, match) || any;
          return any;
        }
        for (auto value : values) {
          std::vector<kube::ContainerText> texts{{c.field.text, 0, std::string(value)}};
          any = judge_command(texts, match) || any;
        }
        return any;
      }
      case CatalogCheck::pool_host: {
        bool any = false;
        for (auto value : values) {
          const auto hits = catalog->match_hostname(host_of(value));
          if (hits.empty()) continue;
          any = true;
          note(match, c, value);
          for (auto index : hits) match.evidence.push_back({catalog->at(index).id, catalog->at(index).why, std::nullopt});
        }
        return any;
      }
    }
    return false;
  }

  bool test(const Condition& c, EventContext& ctx, Match& match) {
    const auto& values = ctx.values(c.field);
    auto first = [&](auto&& predicate) {
      for (auto value : values) {
        if (predicate(value)) {
          note(match, c, value);
          return true;
        }
      }
      return false;
    };
    switch (c.op) {
      case Op::equals: return first([&](std::string_view v) { return v == c.values.front(); });
      case Op::in:
        if (!c.sorted.empty())
          return first([&](std::string_view v) {
            return std::binary_search(c.sorted.begin(), c.sorted.end(), v, std::less<>());
          });
        return first([&](std::string_view v) { return std::find(c.values.begin(), c.values.end(), v) != c.values.end(); });
      case Op::prefix:
        return first([&](std::string_view v) {
          return std::any_of(c.values.begin(), c.values.end(), [&](const std::string& p) { return v.starts_with(p); });
        });
      case Op::contains:
        return first([&](std::string_view v) {
          return std::any_of(c.values.begin(), c.values.end(),
                             [&](const std::string& p) { return v.find(p) != std::string_view::npos; });
        });
      case Op::glob:
        return first([&](std::string_view v) {
          const std::string text(v);
          return std::any_of(c.values.begin(), c.values.end(),
                             [&](const std::string& p) { return fnmatch(p.c_str(), text.c_str(), 0) == 0; });
        });
      case Op::regex:
        return first([&](std::string_view v) { return c.regex->matches(v, regex_scratch.get()); });
      case Op::exists: {
        const bool present = !values.empty();
        if (present && c.exists) note(match, c, values.front());
        return present == c.exists;
      }
      case Op::between:
        return first([&](std::string_view v) {
          std::int64_t n = 0;
          const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
          return ec == std::errc() && end == v.data() + v.size() && n >= c.low && n <= c.high;
        });
      case Op::registry_not_in: return first([&](std::string_view v) { return untrusted(c, v); });
      case Op::catalog: return catalog_test(c, ctx, values, match);
    }
    return false;
  }

  bool eval(const Condition& c, EventContext& ctx, Match& match) {
    switch (c.kind) {
      case Condition::Kind::all:
        for (const auto& child : c.children)
          if (!eval(child, ctx, match)) return false;
        return true;
      case Condition::Kind::any:
        for (const auto& child : c.children) {
          const std::size_t notes = match.notes.size(), evidence = match.evidence.size();
          if (eval(child, ctx, match)) return true;
          match.notes.resize(notes);
          match.evidence.resize(evidence);
        }
        return false;
      case Condition::Kind::negate: {
        // What satisfies the inside of a `not` is no evidence for the rule.
        const std::size_t notes = match.notes.size(), evidence = match.evidence.size();
        const bool inner = eval(c.children.front(), ctx, match);
        match.notes.resize(notes);
        match.evidence.resize(evidence);
        return !inner;
      }
      case Condition::Kind::test: return test(c, ctx, match);
    }
    return false;
  }

  // Learns from a successful create: who created what (attribution later), and which identities
  // are controllers (they create objects owned by objects someone else created).
  void learn(const Event& event, EventContext& ctx) {
    if (event.verb != "create" || !event.succeeded() || event.request_object.empty() || !event.subresource.empty()) return;
    const ObjectMeta& meta = ctx.meta();
    if (!meta.parsed) return;
    if (meta.owner.controller && !meta.owner.kind.empty() && !identities.is_controller(event.username) &&
        std::none_of(never_controllers.begin(), never_controllers.end(), [&](const std::string& glob) {
          return fnmatch(glob.c_str(), std::string(event.username).c_str(), 0) == 0;
        })) {
      // Only an owner this log saw created by someone else vouches for the creator.
      const std::string_view ns = meta.namespace_.empty() ? event.namespace_ : std::string_view(meta.namespace_);
      if (identities.created_by_other(meta.owner.kind, ns, meta.owner.name, event.username))
        identities.learn_controller(event.username);
    }
    // A person named by a creator annotation is an actor too, first seen now if not before.
    if (!meta.creator.empty()) identities.saw(meta.creator, event.time_us);
    ObjectMeta stored = meta;
    if (stored.kind.empty()) stored.kind = std::string(kind_of_resource(event.resource));
    if (stored.name.empty()) stored.name = std::string(event.name);
    identities.created(stored, event.namespace_, event.username, event.audit_id);
  }
};

namespace {

void fields_of(const Condition& c, std::vector<FieldId>& out) {
  if (c.kind == Condition::Kind::test) out.push_back(c.field.id);
  for (const auto& child : c.children) fields_of(child, out);
}

}  // namespace

DecodeFields Engine::decode_fields() const {
  std::vector<FieldId> used;
  for (const auto& rule : rules_.rules) {
    fields_of(rule.condition, used);
    if (rule.once_per) used.push_back(rule.once_per->id);
  }
  auto uses = [&](FieldId id) { return std::find(used.begin(), used.end(), id) != used.end(); };
  DecodeFields fields;
  fields.stage = uses(FieldId::stage);
  fields.level = uses(FieldId::level);
  fields.user_agent = uses(FieldId::user_agent);
  fields.source_ips = uses(FieldId::source_ips);
  fields.groups = uses(FieldId::groups);
  fields.impersonated_user = uses(FieldId::impersonated_username);
  fields.request_uri = true;   // findings name non-resource requests by it
  fields.response_object = uses(FieldId::response_object);
  fields.annotations = uses(FieldId::annotations);
  fields.user_extra = uses(FieldId::user_extra);
  return fields;
}

Engine::Engine(RuleSet rules, std::shared_ptr<const indicators::CompiledCatalog>, EngineSettings)
    : rules_(std::move(rules)) {}

Engine::~Engine() = default;

core::Result<std::unique_ptr<Engine>> Engine::create(RuleSet rules,
                                                     std::shared_ptr<const indicators::CompiledCatalog> catalog,
                                                     EngineSettings settings) {
  auto scanner = indicators::Scanner::create(catalog);
  if (!scanner) return std::unexpected(scanner.error());
  std::vector<std::string> controllers = rules.list("controller_identities");
  controllers.insert(controllers.end(), settings.controllers.begin(), settings.controllers.end());
  std::vector<std::string> never = rules.list("never_controller_identities");
  std::unique_ptr<Engine> engine(new Engine(std::move(rules), catalog, settings));
  engine->impl_ = std::make_unique<Impl>(std::move(settings), std::move(catalog), std::move(*scanner),
                                         std::move(controllers), std::move(never));
  for (const auto& rule : engine->rules_.rules) {
    engine->impl_->verbs.add_rule(rule.condition);
    engine->impl_->resources.add_rule(rule.condition);
  }
  // One scratch space that fits every regex test of every rule.
  std::vector<const Condition*> stack;
  for (const auto& rule : engine->rules_.rules) stack.push_back(&rule.condition);
  while (!stack.empty()) {
    const Condition* c = stack.back();
    stack.pop_back();
    if (c->regex) {
      if (auto ok = engine->impl_->regex_scratch.prepare(*c->regex); !ok) return std::unexpected(ok.error());
    }
    for (const auto& child : c->children) stack.push_back(&child);
  }
  return engine;
}

void Engine::process(const Event& event, std::vector<core::Finding>& out) {
  Impl& d = *impl_;
  ++stats_.events;
  d.identities.saw(event.username, event.time_us);
  EventContext ctx(event, d.identities, d.settings, d.buffers);
  d.learn(event, ctx);
  Match& match = d.match;
  const std::uint64_t verb_bit = d.verbs.bit(event.verb), resource_bit = d.resources.bit(event.resource);
  for (std::size_t index = 0; index < rules_.rules.size(); ++index) {
    const AuditRule& rule = rules_.rules[index];
    if (!d.verbs.may_hold(index, verb_bit) || !d.resources.may_hold(index, resource_bit)) continue;
    match.clear();
    if (!d.eval(rule.condition, ctx, match)) continue;
    if (d.repeated(index, rule, ctx)) {
      ++stats_.repeats;
      continue;
    }
    core::Finding finding;
    finding.rule_id = rule.info.id;
    finding.title = rule.info.title;
    finding.severity = match.severity.value_or(rule.info.severity);
    finding.category = match.category.value_or(rule.info.category);
    finding.source = core::Source::audit;
    core::EventLocation where;
    where.file = std::string(event.file);
    where.line = event.line;
    where.audit_id = std::string(event.audit_id);
    where.timestamp = std::string(event.timestamp);
    where.user = std::string(event.username);
    where.verb = std::string(event.verb);
    where.resource = std::string(event.resource);
    if (!event.subresource.empty()) where.resource += "/" + std::string(event.subresource);
    where.namespace_ = std::string(event.namespace_);
    where.name = std::string(event.name);
    if (where.name.empty()) where.name = ctx.meta().name;
    where.request_uri = std::string(event.request_uri);
    finding.evidence = match.take_evidence();
    const auto& attribution = ctx.attribution();
    if (!attribution.creator.empty() && attribution.creator != event.username)
      finding.evidence.push_back({"on behalf of", core::printable(attribution.creator) +
                                                      (attribution.via.empty() ? "" : " via " + attribution.via),
                                  std::nullopt});
    finding.techniques = rule.info.techniques;
    finding.remediation = rule.info.remediation;
    // Low findings (an image from an untrusted registry) are everyday noise: they would join
    // unrelated incidents through the people who raise them all day.
    if (finding.severity >= core::Severity::medium && d.chains.size() < d.settings.max_findings) {
      ChainStep step;
      step.time_us = event.time_us;
      step.stage = rule.stage;
      step.severity = finding.severity;
      step.category = finding.category;
      step.rule_id = rule.info.id;
      step.title = rule.info.title;
      step.creator = d.identities.is_controller(attribution.creator) ? std::string() : attribution.creator;
      step.namespace_ = !event.namespace_.empty() ? std::string(event.namespace_)
                                                  : std::string(service_account_namespace(event.username));
      step.where = where;
      d.chains.add(std::move(step));
    }
    finding.location = std::move(where);
    ++stats_.findings;
    out.push_back(std::move(finding));
  }
  stats_.learned_controllers = d.identities.learned_controllers();
}

std::vector<core::Finding> Engine::incidents() const { return impl_->chains.incidents(attack_chain_rule()); }

std::vector<core::RuleInfo> Engine::rule_infos() const {
  std::vector<core::RuleInfo> out;
  for (const auto& rule : rules_.rules) out.push_back(rule.info);
  out.push_back(attack_chain_rule());
  return out;
}

}  // namespace mg::audit
