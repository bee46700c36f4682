#!/usr/bin/env python3
"""Scores per file and in total from a Stryker.NET JSON report, and the survivors to triage.

usage: tools/stryker_scores.py OUT/reports/mutation-report.json [--survivors] [--prefix src/Mirage/]

score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker computes it; compile errors and
ignored mutants are left out. --survivors lists each surviving / uncovered mutant as file:line, mutator, the original
line and the replacement, for docs/TESTING.md's triage.
"""
import json
import sys


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    show = "--survivors" in sys.argv
    prefix = "src/Mirage/"
    if "--prefix" in sys.argv:
        prefix = sys.argv[sys.argv.index("--prefix") + 1]
    report = json.load(open(args[0]))
    rows, total, survivors = [], {"Killed": 0, "Timeout": 0, "Survived": 0, "NoCoverage": 0}, []
    for path, f in sorted(report["files"].items()):
        counts = {k: 0 for k in total}
        lines = f.get("source", "").splitlines()
        for m in f["mutants"]:
            st = m["status"]
            if st in counts:
                counts[st] += 1
                total[st] += 1
            if st in ("Survived", "NoCoverage"):
                line = m["location"]["start"]["line"]
                code = lines[line - 1].strip() if 0 < line <= len(lines) else ""
                survivors.append((short(path, prefix), line, st, m["mutatorName"], code, m.get("replacement", "")))
        if sum(counts.values()):
            rows.append((short(path, prefix), counts))
    print(f"{'file':60} {'killed':>7} {'timeout':>7} {'survived':>8} {'no cov':>6} {'score':>7}")
    for path, c in rows + [("TOTAL", total)]:
        print(f"{path:60} {c['Killed']:7} {c['Timeout']:7} {c['Survived']:8} {c['NoCoverage']:6} {score(c):7}")
    if show:
        print()
        for path, line, st, mutator, code, repl in survivors:
            print(f"{path}:{line} [{st}] {mutator}: {code[:110]}  =>  {repl[:110]}")
    return 0


def short(path: str, prefix: str) -> str:
    i = path.find(prefix)
    return path[i + len(prefix):] if i >= 0 else path


def score(c: dict) -> str:
    detected = c["Killed"] + c["Timeout"]
    valid = detected + c["Survived"] + c["NoCoverage"]
    return f"{100 * detected / valid:.2f}%" if valid else "n/a"


if __name__ == "__main__":
    sys.exit(main())
