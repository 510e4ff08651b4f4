// Rule files to a RuleSet. yaml-cpp's Node API gives every node its line (Mark); its exceptions
// and every mistake in a file end here as "file:line: reason".
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "audit/embedded_rules.hpp"
#include "audit/regex_set.hpp"
#include "audit/rule.hpp"
#include "core/severity.hpp"

namespace mg::audit {

std::string_view to_string(Stage stage) {
  switch (stage) {
    case Stage::exposure: return "exposure";
    case Stage::execution: return "execution";
    case Stage::credential_access: return "credential-access";
    case Stage::privilege_escalation: return "privilege-escalation";
    case Stage::lateral_movement: return "lateral-movement";
    case Stage::impact: return "impact";
  }
  return "execution";
}

const std::vector<std::string>& RuleSet::list(std::string_view name) const {
  static const std::vector<std::string> empty;
  auto it = lists.find(name);
  return it == lists.end() ? empty : it->second;
}

namespace {

constexpr int kMaxConditionDepth = 64;
constexpr std::size_t kMaxConditionNodes = 100'000;   // per rule file, after macro expansion
constexpr std::size_t kMaxRuleFileBytes = 16u << 20;

struct Invalid {
  int line;
  std::string message;
};

int line_of(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

[[noreturn]] void invalid(const YAML::Node& node, std::string message) { throw Invalid{line_of(node), std::move(message)}; }

std::string scalar(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) invalid(node, std::string(what) + " must be a scalar");
  return node.Scalar();
}

std::optional<Stage> parse_stage(std::string_view text) {
  for (Stage s : {Stage::exposure, Stage::execution, Stage::credential_access, Stage::privilege_escalation,
                  Stage::lateral_movement, Stage::impact})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

struct Macro {
  YAML::Node condition;
  std::string file;
};

class Loader {
 public:
  core::Result<RuleSet> load(const std::vector<RuleSource>& sources) {
    // Lists and macros first, from every file, so a rule may use one defined in a later file.
    std::vector<YAML::Node> roots;
    for (const auto& source : sources) {
      file_ = source.name;
      try {
        if (source.text.size() > kMaxRuleFileBytes)
          return fail(0, "rule file larger than " + std::to_string(kMaxRuleFileBytes) + " bytes");
        YAML::Node root = YAML::Load(source.text);
        if (root.IsNull()) {
          roots.push_back(root);
          continue;
        }
        if (!root.IsSequence()) invalid(root, "a rule file is a sequence of items (- list:, - macro:, - rule:)");
        std::set<std::string> defined_here;
        for (const auto& item : root) definitions(item, defined_here);
        roots.push_back(root);
      } catch (const Invalid& e) {
        return fail(e.line, e.message);
      } catch (const YAML::Exception& e) {
        return fail(e.mark.line >= 0 ? e.mark.line + 1 : 0, e.msg);
      }
      set_.sources.push_back(source.name);
    }
    for (std::size_t i = 0; i < sources.size(); ++i) {
      file_ = sources[i].name;
      nodes_ = 0;
      try {
        if (!roots[i].IsSequence()) continue;
        for (const auto& item : roots[i])
          if (item["rule"]) rule(item);
      } catch (const Invalid& e) {
        return fail(e.line, e.message);
      } catch (const YAML::Exception& e) {
        return fail(e.mark.line >= 0 ? e.mark.line + 1 : 0, e.msg);
      }
    }
    for (auto& [id, index] : rule_index_) {
      if (disabled_.contains(id)) continue;
      set_.rules.push_back(std::move(rules_[index]));
    }
    std::sort(set_.rules.begin(), set_.rules.end(),
              [&](const AuditRule& a, const AuditRule& b) { return order_[a.info.id] < order_[b.info.id]; });
    set_.disabled.assign(disabled_.begin(), disabled_.end());
    return std::move(set_);
  }

 private:
  std::unexpected<core::Error> fail(int line, const std::string& message) const {
    std::string text = file_;
    if (line > 0) text.append(":").append(std::to_string(line));
    text.append(": ").append(message);
    return core::fail(core::ErrorCode::invalid_input, std::move(text));
  }

  void definitions(const YAML::Node& item, std::set<std::string>& defined_here) {
    if (!item.IsMap()) invalid(item, "an item is a mapping with list:, macro: or rule:");
    const int kinds = (item["list"] ? 1 : 0) + (item["macro"] ? 1 : 0) + (item["rule"] ? 1 : 0);
    if (kinds != 1) invalid(item, "an item has exactly one of list:, macro: and rule:");
    std::string kind = item["list"] ? "list" : item["macro"] ? "macro" : "rule";
    const std::string name = scalar(item[kind], kind);
    if (name.empty()) invalid(item[kind], kind + " name is empty");
    if (!defined_here.insert(kind + ":" + name).second) invalid(item, kind + " \"" + name + "\" is defined twice in this file");
    if (kind == "list") list(item, name);
    else if (kind == "macro") macro(item, name);
  }

  void only_keys(const YAML::Node& item, std::initializer_list<std::string_view> keys) {
    for (const auto& member : item) {
      const std::string key = member.first.Scalar();
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string allowed;
        for (auto k : keys) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        invalid(member.first, "unknown key \"" + key + "\" (expected " + allowed + ")");
      }
    }
  }

  void list(const YAML::Node& item, const std::string& name) {
    only_keys(item, {"list", "items", "append"});
    const YAML::Node items = item["items"];
    if (!items || !items.IsSequence()) invalid(item, "list \"" + name + "\" needs items: [...]");
    const bool append = item["append"] && item["append"].as<bool>(false);
    std::vector<std::string> values;
    for (const auto& value : items) {
      const std::string text = scalar(value, "a list item");
      if (auto it = set_.lists.find(text); it != set_.lists.end() && text != name)
        values.insert(values.end(), it->second.begin(), it->second.end());
      else
        values.push_back(text);
    }
    auto& target = set_.lists[name];
    if (append) target.insert(target.end(), values.begin(), values.end());
    else target = std::move(values);
  }

  void macro(const YAML::Node& item, const std::string& name) {
    only_keys(item, {"macro", "condition"});
    if (!item["condition"]) invalid(item, "macro \"" + name + "\" needs a condition");
    macros_[name] = Macro{item["condition"], file_};
  }

  void rule(const YAML::Node& item) {
    only_keys(item, {"rule", "name", "title", "description", "severity", "category", "stage", "techniques",
                     "remediation", "condition", "enabled", "once_per"});
    AuditRule r;
    r.info.id = scalar(item["rule"], "rule");
    r.file = file_;
    r.line = line_of(item);
    if (item["enabled"] && !item["enabled"].as<bool>(true)) {
      disabled_.insert(r.info.id);
      if (!item["condition"]) return;  // only switching a rule off
    } else {
      disabled_.erase(r.info.id);
    }
    auto text = [&](const char* key, bool required) {
      if (!item[key]) {
        if (required) invalid(item, "rule " + r.info.id + " needs " + key + ":");
        return std::string();
      }
      return scalar(item[key], key);
    };
    r.info.name = text("name", true);
    r.info.title = text("title", true);
    r.info.description = text("description", false);
    r.info.remediation = text("remediation", false);
    const auto severity = core::parse_severity(text("severity", true));
    if (!severity) invalid(item["severity"], "severity must be info, low, medium, high or critical");
    r.info.severity = *severity;
    const auto category = core::parse_category(text("category", true));
    if (!category) invalid(item["category"], "unknown category \"" + item["category"].Scalar() + "\"");
    r.info.category = *category;
    const auto stage = parse_stage(text("stage", true));
    if (!stage)
      invalid(item["stage"], "stage must be exposure, execution, credential-access, privilege-escalation, "
                             "lateral-movement or impact");
    r.stage = *stage;
    if (const auto techniques = item["techniques"]) {
      if (!techniques.IsSequence()) invalid(techniques, "techniques must be a list");
      for (const auto& t : techniques) r.info.techniques.push_back(scalar(t, "a technique"));
    }
    if (!item["condition"]) invalid(item, "rule " + r.info.id + " needs a condition");
    if (const auto once = item["once_per"]) {
      auto field = parse_field(scalar(once, "once_per"));
      if (!field) invalid(once, field.error().message);
      r.once_per = std::move(*field);
    }
    std::vector<std::string> expanding;
    r.condition = condition(item["condition"], 0, expanding);
    if (!order_.contains(r.info.id)) order_[r.info.id] = order_.size();
    if (auto it = rule_index_.find(r.info.id); it != rule_index_.end()) {
      rules_[it->second] = std::move(r);
    } else {
      rule_index_[r.info.id] = rules_.size();
      rules_.push_back(std::move(r));
    }
  }

  std::vector<std::string> values(const YAML::Node& node, std::string_view op) {
    std::vector<std::string> out;
    auto add = [&](const YAML::Node& value) {
      const std::string text = scalar(value, std::string(op) + " value");
      if (auto it = set_.lists.find(text); it != set_.lists.end()) out.insert(out.end(), it->second.begin(), it->second.end());
      else out.push_back(text);
    };
    if (node.IsSequence()) {
      for (const auto& value : node) add(value);
    } else {
      add(node);
    }
    return out;
  }

  Condition condition(const YAML::Node& node, int depth, std::vector<std::string>& expanding) {
    if (depth > kMaxConditionDepth) invalid(node, "conditions nested deeper than " + std::to_string(kMaxConditionDepth));
    if (++nodes_ > kMaxConditionNodes)
      invalid(node, "more than " + std::to_string(kMaxConditionNodes) + " conditions after macro expansion");
    Condition c;
    c.line = line_of(node);
    if (node.IsSequence()) {
      c.kind = Condition::Kind::all;
      for (const auto& child : node) c.children.push_back(condition(child, depth + 1, expanding));
      return c;
    }
    if (!node.IsMap()) invalid(node, "a condition is a mapping (and:, or:, not:, macro:, field:) or a sequence");
    if (const auto all = node["and"]; all || node["or"]) {
      only_keys(node, {all ? "and" : "or"});
      const YAML::Node list = all ? all : node["or"];
      if (!list.IsSequence() || list.size() == 0) invalid(list, std::string(all ? "and" : "or") + " needs a non-empty list");
      c.kind = all ? Condition::Kind::all : Condition::Kind::any;
      for (const auto& child : list) c.children.push_back(condition(child, depth + 1, expanding));
      return c;
    }
    if (const auto negated = node["not"]) {
      only_keys(node, {"not"});
      c.kind = Condition::Kind::negate;
      c.children.push_back(condition(negated, depth + 1, expanding));
      return c;
    }
    if (const auto name_node = node["macro"]) {
      only_keys(node, {"macro"});
      const std::string name = scalar(name_node, "macro");
      auto it = macros_.find(name);
      if (it == macros_.end()) invalid(name_node, "unknown macro \"" + name + "\"");
      if (std::find(expanding.begin(), expanding.end(), name) != expanding.end())
        invalid(name_node, "macro \"" + name + "\" uses itself");
      expanding.push_back(name);
      Condition expanded = condition(it->second.condition, depth + 1, expanding);
      expanding.pop_back();
      return expanded;
    }
    if (!node["field"]) invalid(node, "a test needs field: (or use and:, or:, not:, macro:)");
    only_keys(node, {"field", "equals", "in", "prefix", "glob", "regex", "contains", "exists", "between", "catalog",
                     "registry_not_in"});
    auto field = parse_field(scalar(node["field"], "field"));
    if (!field) invalid(node["field"], field.error().message);
    c.kind = Condition::Kind::test;
    c.field = std::move(*field);
    int ops = 0;
    for (const auto& member : node) {
      const std::string key = member.first.Scalar();
      if (key == "field") continue;
      ++ops;
      const YAML::Node& v = member.second;
      if (key == "equals") {
        c.op = Op::equals;
        c.values = {scalar(v, "equals")};
      } else if (key == "in" || key == "prefix" || key == "glob" || key == "contains" || key == "registry_not_in" ||
                 key == "regex") {
        c.op = key == "in" ? Op::in : key == "prefix" ? Op::prefix : key == "glob" ? Op::glob
             : key == "contains" ? Op::contains : key == "regex" ? Op::regex : Op::registry_not_in;
        c.values = values(v, key);
        if (c.values.empty() && c.op != Op::registry_not_in) invalid(v, key + " needs at least one value");
        if (c.op == Op::in && c.values.size() > 8) {
          c.sorted = c.values;
          std::sort(c.sorted.begin(), c.sorted.end());
        }
        if (c.op == Op::regex) {
          auto compiled = RegexSet::compile(c.values);
          if (!compiled) invalid(v, compiled.error().message);
          c.regex = *compiled;
        }
      } else if (key == "exists") {
        c.op = Op::exists;
        try {
          c.exists = v.as<bool>();
        } catch (const YAML::Exception&) {
          invalid(v, "exists must be true or false");
        }
      } else if (key == "between") {
        c.op = Op::between;
        if (!v.IsSequence() || v.size() != 2) invalid(v, "between needs [low, high]");
        try {
          c.low = v[0].as<std::int64_t>();
          c.high = v[1].as<std::int64_t>();
        } catch (const YAML::Exception&) {
          invalid(v, "between needs two integers");
        }
      } else if (key == "catalog") {
        c.op = Op::catalog;
        const std::string check = scalar(v, "catalog");
        if (check == "miner-image") c.check = CatalogCheck::miner_image;
        else if (check == "miner-command") c.check = CatalogCheck::miner_command;
        else if (check == "pool-host") c.check = CatalogCheck::pool_host;
        else invalid(v, "catalog must be miner-image, miner-command or pool-host");
      }
    }
    if (ops != 1) invalid(node, "a test has exactly one operator besides field:");
    return c;
  }

  std::string file_;
  RuleSet set_;
  std::unordered_map<std::string, Macro> macros_;
  std::vector<AuditRule> rules_;
  std::map<std::string, std::size_t> rule_index_;
  std::map<std::string, std::size_t> order_;
  std::set<std::string> disabled_;
  std::size_t nodes_ = 0;
};

}  // namespace

core::Result<RuleSet> load_rules(const std::vector<RuleSource>& sources) {
  try {
    return Loader().load(sources);
  } catch (const std::bad_alloc&) {
    return core::fail(core::ErrorCode::limit_exceeded, "out of memory loading rules");
  }
}

std::vector<RuleSource> default_rule_sources() {
  std::vector<RuleSource> out;
  for (const auto& file : detail::embedded_rule_files())
    out.push_back({"builtin:" + std::string(file.name), std::string(file.text)});
  return out;
}

core::Result<std::vector<RuleSource>> rule_sources_from(const std::filesystem::path& path) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      const auto ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
    }
    if (ec) return core::fail(core::ErrorCode::io, path.string() + ": cannot list: " + ec.message());
    std::sort(files.begin(), files.end());
  } else if (std::filesystem::exists(path, ec)) {
    files.push_back(path);
  } else {
    return core::fail(core::ErrorCode::io, path.string() + ": no such rule file or directory");
  }
  std::vector<RuleSource> out;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return core::fail(core::ErrorCode::io, file.string() + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return core::fail(core::ErrorCode::io, file.string() + ": read failed");
    out.push_back({file.string(), text.str()});
  }
  return out;
}

}  // namespace mg::audit
