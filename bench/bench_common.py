#!/usr/bin/env python3
"""What the benchmark report writers (bench/report.py, bench/audit_report.py,
bench/audit_log_report.py) share: replacing their section of BENCHMARKS.md."""
import os


def splice(path, results_path, begin, end, intro=None):
    """Writes the text of RESULTS_PATH between the markers BEGIN and END of PATH. When PATH does
    not have them, appends INTRO (the section's heading and fixed text, if any) and the marked
    block at the end."""
    with open(results_path) as f:
        block = f.read().strip()
    text = open(path).read() if os.path.exists(path) else ""
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{block}\n{end}{tail}"
    else:
        text = f"{text.rstrip()}\n\n" + (f"{intro}\n" if intro else "") + f"{begin}\n{block}\n{end}\n"
    with open(path, "w") as f:
        f.write(text)
