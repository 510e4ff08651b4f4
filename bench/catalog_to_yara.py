#!/usr/bin/env python3
"""Writes YARA rules equivalent to the content-matching part of minerguard's indicator catalog.

  bench/catalog_to_yara.py [--catalog DIR] [-o OUT.yar] [--no-check]

The benchmark's peer (`tar -xzf` + `yara -r`) must do the same matching work minerguard does:
every catalog pattern searched in every file. minerguard compiles the kinds string, hostname,
regex, command and wallet into one Hyperscan database and runs it over every file; so here:

  string    → a YARA text string (`nocase` when the entry is caseless)
  hostname  → a YARA text string, always `nocase` (DNS names are caseless)
  regex, command, wallet
            → a YARA regular expression, `/…/i` when caseless; PCRE syntax YARA lacks is
              rewritten ((?:…) → (…), a leading (?i)/(?s) → modifiers, \\x{HH} → \\xHH,
              POSIX classes → ranges, \\A → ^, \\z → $; ^ and $ of regex/command entries
              match at every line as minerguard's HS_FLAG_MULTILINE does); what still does not translate is
              left out and listed in the output's header and on stderr
  port, image
            → not content patterns (matched against sockets and image references), left out

One rule per evidence group, `condition: any of them`. Each regex is compiled alone with
`yarac` (unless --no-check) so one untranslatable pattern drops itself, not the whole file.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # pragma: no cover - a setup problem, said plainly
    sys.exit("catalog_to_yara: python3-yaml is missing (apt-get install python3-yaml)")

CONTENT_KINDS = {"string", "hostname", "regex", "command", "wallet"}
POSIX = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "xdigit": "0-9a-fA-F", "space": r"\t\n\x0b\x0c\r ", "blank": r"\t ", "word": r"a-zA-Z0-9_",
}


class Untranslatable(Exception):
    pass


def load_catalog(directory):
    entries = []
    for path in sorted(glob.glob(os.path.join(directory, "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        if isinstance(doc, dict):  # tolerate {indicators: [...]} as well as a bare list
            lists = [v for v in doc.values() if isinstance(v, list)]
            doc = lists[0] if lists else []
        for item in doc or []:
            if isinstance(item, dict):
                item = dict(item)
                item["_file"] = os.path.basename(path)
                entries.append(item)
    return entries


def text_string(pattern):
    """A YARA text string literal for the pattern's bytes."""
    out = []
    for b in pattern.encode("utf-8"):
        c = chr(b)
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append(f"\\x{b:02x}")
    return '"' + "".join(out) + '"'


def translate_regex(pattern, caseless, multiline):
    """PCRE (Hyperscan dialect) → (YARA regex body, modifiers).

    minerguard compiles regex and command entries with HS_FLAG_MULTILINE (^ and $ at every line);
    YARA's ^ and $ are the file's ends only, so they become (^|\\n) and (\\n|$) there."""
    mods = set("i" if caseless else "")
    m = re.match(r"^\(\?([is]+)\)", pattern)
    if m:
        mods.update(m.group(1))
        pattern = pattern[m.end():]
    out = []
    i = 0
    in_class = False
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise Untranslatable("trailing backslash")
            d = pattern[i + 1]
            if d == "x" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.index("}", i)
                value = int(pattern[i + 3:end], 16)
                if value > 0xFF:
                    raise Untranslatable(f"code point \\x{{{value:x}}} above 0xFF")
                out.append(f"\\x{value:02x}")
                i = end + 1
                continue
            if d == "A" and not in_class:
                out.append("^")
            elif d in "zZ" and not in_class:
                out.append("$")
            elif d in "QEGKpPhHvVRXN" or d.isdigit() and d != "0":
                raise Untranslatable(f"escape \\{d} has no YARA equivalent")
            else:
                out.append(c + d)
            i += 2
            continue
        if in_class:
            if c == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i)
                name = pattern[i + 2:end] if end > 0 else ""
                if name not in POSIX:
                    raise Untranslatable(f"POSIX class [:{name}:]")
                out.append(POSIX[name])
                i = end + 2
                continue
            if c == "]" and not (out and out[-1] in ("[", "[^")):
                in_class = False
            if c == "/":
                out.append("\\/")
            else:
                out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            if i < n and pattern[i] == "]":  # a literal ] first in a class
                out.append("\\]")
                i += 1
            continue
        if c == "(" and pattern.startswith("(?", i):
            if pattern.startswith("(?:", i):
                out.append("(")
                i += 3
                continue
            raise Untranslatable("inline group flag or lookaround (?…)")
        if c == "/":
            out.append("\\/")
        elif c == "^" and multiline:
            out.append("(^|\\n)")
        elif c == "$" and multiline:
            out.append("(\\n|$)")
        elif ord(c) > 0x7E or ord(c) < 0x20:
            out.extend(f"\\x{b:02x}" for b in c.encode("utf-8"))
        else:
            out.append(c)
        i += 1
    return "".join(out), "".join(sorted(mods))


def ident(entry_id, used):
    base = "$" + re.sub(r"[^A-Za-z0-9_]", "_", str(entry_id))
    name, k = base, 2
    while name in used:
        name, k = f"{base}_{k}", k + 1
    used.add(name)
    return name


def yarac_ok(string_line, scratch):
    src = os.path.join(scratch, "one.yar")
    with open(src, "w", encoding="utf-8") as f:
        f.write("rule one {\n  strings:\n    $a = " + string_line + "\n  condition:\n    $a\n}\n")
    r = subprocess.run(["yarac", src, os.path.join(scratch, "one.yarc")],
                       capture_output=True, text=True)
    return r.returncode == 0, (r.stderr or r.stdout).strip().splitlines()[-1:] or [""]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", default=os.path.join(here, "..", "data", "indicators"))
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--no-check", action="store_true", help="do not compile each regex with yarac")
    args = ap.parse_args()

    entries = load_catalog(args.catalog)
    groups = {}
    skipped_kind, untranslated = {}, []
    check = not args.no_check
    with tempfile.TemporaryDirectory() as scratch:
        for e in entries:
            kind = str(e.get("kind", "string"))
            eid = e.get("id", "?")
            pattern = e.get("pattern")
            if kind not in CONTENT_KINDS:
                skipped_kind[kind] = skipped_kind.get(kind, 0) + 1
                continue
            if not isinstance(pattern, str) or not pattern:
                untranslated.append((eid, kind, "empty or non-text pattern"))
                continue
            caseless = bool(e.get("caseless", False))
            if kind in ("string", "hostname"):
                line = text_string(pattern) + (" nocase" if caseless or kind == "hostname" else "")
            else:
                try:
                    body, mods = translate_regex(pattern, caseless, kind in ("regex", "command"))
                except (Untranslatable, ValueError) as why:
                    untranslated.append((eid, kind, str(why)))
                    continue
                line = f"/{body}/{mods}"
                if check:
                    ok, msg = yarac_ok(line, scratch)
                    if not ok:
                        untranslated.append((eid, kind, "yarac: " + msg[0]))
                        continue
            group = str(e.get("group") or kind)
            groups.setdefault(group, []).append((eid, kind, e["_file"], line))

    n_strings = sum(len(v) for v in groups.values())
    lines = [
        "// Generated by bench/catalog_to_yara.py from data/indicators/*.yaml — do not edit.",
        f"// {len(entries)} catalog entries; {n_strings} content patterns translated "
        f"in {len(groups)} rules (one per evidence group, any of them).",
    ]
    for kind, count in sorted(skipped_kind.items()):
        lines.append(f"// not content patterns, left out: {count} of kind {kind}")
    for eid, kind, why in untranslated:
        lines.append(f"// NOT TRANSLATED: {eid} ({kind}): {why}")
    lines.append("")
    for group in sorted(groups):
        rule = "mg_" + re.sub(r"[^A-Za-z0-9_]", "_", group)
        lines.append(f"rule {rule}\n{{\n  strings:")
        used = set()
        for eid, kind, fname, line in groups[group]:
            lines.append(f"    {ident(eid, used)} = {line}  // {kind}, {fname}")
        lines.append("  condition:\n    any of them\n}\n")
    text = "\n".join(lines) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"catalog_to_yara: {len(entries)} entries → {n_strings} YARA strings in {len(groups)} "
          f"rules; {len(untranslated)} not translated; "
          f"{sum(skipped_kind.values())} non-content (port/image) left out", file=sys.stderr)
    for eid, kind, why in untranslated:
        print(f"catalog_to_yara: not translated: {eid} ({kind}): {why}", file=sys.stderr)
    if n_strings == 0:
        sys.exit("catalog_to_yara: no content patterns found in " + args.catalog)


if __name__ == "__main__":
    main()
