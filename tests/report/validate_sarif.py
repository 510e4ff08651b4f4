#!/usr/bin/env python3
"""Validates SARIF files against the OASIS SARIF 2.1.0 schema (.tools/sarif/, put there by scripts/setup) and against the extra
rules GitHub code scanning applies on upload (a location URI on every result, a ruleIndex that
points at the rule with the result's ruleId, a numeric security-severity).

usage: validate_sarif.py SCHEMA FILE...   exit 0 valid, 1 invalid, 2 could not run
"""
import json
import sys


def github_problems(log):
    problems = []
    for r, run in enumerate(log.get("runs", [])):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        for i, rule in enumerate(rules):
            severity = rule.get("properties", {}).get("security-severity")
            try:
                if severity is None or not 0.0 <= float(severity) <= 10.0:
                    raise ValueError
            except ValueError:
                problems.append(f"runs[{r}].rules[{i}]: security-severity {severity!r} is not a number in 0..10")
        for i, result in enumerate(run.get("results", [])):
            where = f"runs[{r}].results[{i}]"
            locations = result.get("locations") or []
            uri = locations[0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri") if locations else None
            if not uri:
                problems.append(f"{where}: no physicalLocation.artifactLocation.uri")
            index = result.get("ruleIndex")
            if index is None or not 0 <= index < len(rules) or rules[index].get("id") != result.get("ruleId"):
                problems.append(f"{where}: ruleIndex {index!r} does not point at rule {result.get('ruleId')!r}")
    return problems


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("validate_sarif: python3-jsonschema is not installed (scripts/setup installs it)", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema)
    failed = False
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            try:
                log = json.load(f)
            except ValueError as e:
                print(f"{path}: not JSON: {e}", file=sys.stderr)
                failed = True
                continue
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for e in errors:
            print(f"{path}: {'/'.join(str(p) for p in e.absolute_path)}: {e.message}", file=sys.stderr)
        problems = github_problems(log)
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        failed = failed or bool(errors) or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
