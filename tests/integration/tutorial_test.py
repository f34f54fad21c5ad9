#!/usr/bin/env python3
"""Runs docs/tutorial.md: every command of its ```sh blocks, in order, in one bash shell.

The tutorial starts on a fresh machine; three of its commands cannot run as written in a test,
and are replaced (each replacement must match exactly one command, so the page and this test
cannot drift apart silently):
  - installing git with apt-get        -> git --version
  - scripts/install-deps.sh            -> scripts/install-deps.sh --check (installs nothing)
  - scripts/build.sh build             -> build/tools/collabgraph/collabgraph linked to the
                                          collabgraph under test (no second build)
It clones from the source tree under test (COLLABGRAPH_REPO), with ../shared/data beside the
clone linked to the data directory. Every command must exit 0; each ```text block after a
```sh block must appear, line by line and in order, in the output of that block's last command
("..." stands for any text); and a few facts of the outputs are checked against the CLI's JSON.

Without the data: exit 77. Without the packages install-deps.sh lists: exit 77, unless
COLLABGRAPH_REQUIRE_DATA=1 (CI), when it fails.

usage: tutorial_test.py COLLABGRAPH_BINARY SOURCE_DIR DATA_DIR WORK_DIR
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from testlib import run

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
    return condition


def blocks(markdown):
    """[(language, text)] of the fenced blocks, in order."""
    return re.findall(r"^```(\w*)\n(.*?)^```", markdown, re.M | re.S)


def commands(block):
    """The commands of a sh block: lines joined at trailing backslashes, comments dropped."""
    out, current = [], ""
    for line in block.splitlines():
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip() and not current.lstrip().startswith("#"):
            out.append(current.strip())
        current = ""
    return out


def matches(expected, output):
    """True when the lines of `expected` appear in `output` in order; "..." matches anything,
    a line that is only "..." is skipped."""
    lines = [l.rstrip() for l in output.splitlines()]
    at = 0
    for want in expected.splitlines():
        want = want.rstrip()
        if not want or want == "...":
            continue
        pattern = re.compile(".*".join(re.escape(p) for p in want.split("...")) + "$")
        while at < len(lines) and not pattern.match(lines[at]):
            at += 1
        if at == len(lines):
            return want
        at += 1
    return None


def main():
    cli, source, data_dir, work = sys.argv[1:5]
    cli = os.path.abspath(cli)
    if not glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")):
        print(f"no NeurIPS paper lists under {data_dir}; skipping")
        sys.exit(77)
    check_deps = subprocess.run([os.path.join(source, "scripts", "install-deps.sh"), "--check"],
                                capture_output=True, text=True)
    if check_deps.returncode != 0:
        if os.environ.get("COLLABGRAPH_REQUIRE_DATA") == "1":
            sys.exit(f"missing packages: {check_deps.stdout}")
        print(f"{check_deps.stdout.strip()}; skipping")
        sys.exit(77)
    markdown = open(os.path.join(source, "docs", "tutorial.md"), encoding="utf-8").read()

    replacements = {
        "sudo apt-get update && sudo apt-get install -y git": "git --version",
        "scripts/install-deps.sh": "scripts/install-deps.sh --check",
        "scripts/build.sh build": "mkdir -p build/tools/collabgraph && "
                                  f"ln -sf '{cli}' build/tools/collabgraph/collabgraph",
    }
    steps = []  # (command as written, command run, index of its sh block)
    expectations = []  # (index of the last command of the preceding sh block, text)
    used = {k: 0 for k in replacements}
    for lang, text in blocks(markdown):
        if lang == "sh":
            for c in commands(text):
                if c in replacements:
                    used[c] += 1
                steps.append((c, replacements.get(c, c)))
        elif lang == "text":
            if check(steps, "a text block before any command"):
                expectations.append((len(steps) - 1, text))
    for c, n in used.items():
        check(n == 1, f"the replaced command {c!r} appears {n} times in the tutorial")
    check(len(steps) >= 15, f"only {len(steps)} commands in the tutorial")

    home = os.path.join(work, "tutorial")
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(os.path.join(home, "shared"))
    os.symlink(os.path.abspath(data_dir), os.path.join(home, "shared", "data"))
    logs = os.path.join(work, "tutorial-logs")
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs)
    script = []
    for i, (_, command) in enumerate(steps):
        script.append(f"printf '\\n@@BEGIN {i}\\n'")
        script.append(f"{{ {command}\n}} 2> '{logs}/{i}.err'")
        script.append(f"printf '\\n@@END {i} %d\\n' $?")
    env = dict(os.environ, COLLABGRAPH_REPO=os.path.abspath(source))
    env.pop("COLLABGRAPH_DATA", None)
    started = time.monotonic()
    p = subprocess.run(["bash", "-c", "\n".join(script)], cwd=home, env=env,
                       capture_output=True, text=True, timeout=1200)
    seconds = time.monotonic() - started
    outputs, codes = {}, {}
    for m in re.finditer(r"@@BEGIN (\d+)\n(.*?)\n@@END \1 (\d+)\n", p.stdout, re.S):
        outputs[int(m.group(1))] = m.group(2)
        codes[int(m.group(1))] = int(m.group(3))
    for i, (written, _) in enumerate(steps):
        if not check(codes.get(i) == 0, f"`{written}` exited {codes.get(i)}"):
            err = open(f"{logs}/{i}.err").read() if os.path.exists(f"{logs}/{i}.err") else ""
            FAILURES.append(f"  stdout: {outputs.get(i, '')[-800:]}\n  stderr: {err[-800:]}")
            break  # the rest depends on it
    if FAILURES:
        sys.exit("\n".join(FAILURES))

    for i, text in expectations:
        missing = matches(text, outputs[i])
        check(missing is None, f"`{steps[i][0]}` did not print {missing!r}")

    def output_of(prefix):
        """The output of the one command equal to `prefix`, else of the one starting with it."""
        hits = [outputs[i] for i, (c, _) in enumerate(steps) if c == prefix]
        hits = hits or [outputs[i] for i, (c, _) in enumerate(steps) if c.startswith(prefix)]
        check(len(hits) == 1, f"{len(hits)} commands start with {prefix!r}")
        return hits[0] if hits else ""

    repo = os.path.join(home, "collabgraph")
    db = os.path.join(repo, "neurips.db")
    files = sorted(os.path.basename(f) for f in
                   glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")))
    years = [re.search(r"(\d{4})", f).group(1) for f in files]

    # Facts of the outputs, against the CLI's JSON on the database the tutorial built.
    check(output_of("collabgraph --version").startswith("collabgraph "), "--version")
    check(sorted(output_of("ls ../shared/data/paperlists/nips").split()) == files,
          "ls does not list the NeurIPS files")
    ingest = output_of("collabgraph ingest")
    added = int(re.search(r"(\d+) papers added", ingest).group(1))
    check(sum(1 for f in files if f in ingest) == len(files), "ingest does not list every file")
    info = dict(re.findall(r"^(Paper|Author|Institution|Country)\s+(\d+)$",
                           output_of("collabgraph info"), re.M))
    check(int(info.get("Paper", -1)) == added, f"info says {info.get('Paper')} papers, "
          f"ingest added {added}")
    per_year = json.loads(run([cli, "stats", db, "--by", "year", "--regions", "merge", "--json"]))

    def us_cn(group):
        return next((p["papers"] for p in group["pairs"] if (p["a"], p["b"]) == ("CN", "US")), 0)

    table = {}
    for line in output_of("collabgraph stats neurips.db --by year --regions merge").splitlines():
        f = line.split()
        if f and re.fullmatch(r"\d{4}", f[0]):
            table[f[0]] = (int(f[1]), int(f[4]), int(f[6]))
    want = {g["key"]: (g["papers"], g["international_papers"], us_cn(g))
            for g in per_year["groups"]}
    check(table == want, f"per-year table {table} != stats --json {want}")
    check(sorted(table) == years, f"years {sorted(table)} != files {years}")

    def pair_of(output, key="US-CN"):
        rows = [l.split() for l in output.splitlines() if l.startswith("all ")]
        header = next(l.split() for l in output.splitlines() if l.startswith("group"))
        return int(rows[0][header.index(key)]) if rows else -1
    any_2021 = want["2021"][2]
    bilateral = pair_of(output_of("collabgraph stats neurips.db --years 2021 --regions merge "
                                  "--pair-rule bilateral"))
    split = pair_of(output_of("collabgraph stats neurips.db --years 2021 --regions split"))
    check(0 < bilateral < any_2021, f"2021 US-CN bilateral {bilateral}, any {any_2021}")
    check(0 < split <= any_2021, f"2021 US-CN split {split}, merge {any_2021}")

    overall = json.loads(run([cli, "stats", db, "--regions", "merge", "--json"]))
    pairs = [l.split() for l in output_of("collabgraph pairs neurips.db --top").splitlines()
             if re.match(r"^[A-Z]{2} +[A-Z]{2} ", l)]
    check([(r[0], r[1], int(r[2])) for r in pairs] ==
          [(q["a"], q["b"], q["papers"]) for q in overall["pairs"][:5]], f"pairs {pairs}")
    detail = output_of("collabgraph pairs neurips.db --detail")
    series = [l.split() for l in detail.split("institutions on")[0].splitlines()
              if re.match(r"^\d{4} ", l)]
    check(sum(int(r[2]) for r in series) == us_cn(overall),
          f"--detail series sums to {sum(int(r[2]) for r in series)}, stats {us_cn(overall)}")
    bridge = json.loads(run([cli, "centrality", db, "--graph", "institution", "--metric",
                             "bridge", "--between", "US,CN", "--top", "5", "--regions", "merge",
                             "--json"]))
    ranked = re.findall(r"^\s+\d+\s+(.*?)\s{2,}[\d.]+$",
                        output_of("collabgraph centrality neurips.db --graph institution "
                                  "--metric bridge"), re.M)
    check(ranked == [f"{e['name']} ({e['code']})" for e in bridge["results"]],
          f"bridge ranking {ranked}")
    graph = ET.parse(os.path.join(repo, "countries.graphml")).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = graph.findall(".//g:node", ns)
    check(len(nodes) >= len(overall["countries"]) and graph.findall(".//g:edge", ns),
          f"countries.graphml has {len(nodes)} nodes for {len(overall['countries'])} countries")
    saved = json.load(open(os.path.join(repo, "per_year.json")))
    check(saved == per_year, "per_year.json differs from stats --json")
    report = os.path.join(repo, "report.html")
    html = open(report, encoding="utf-8").read() if os.path.exists(report) else ""
    check(html.count("<svg") >= 4 and f"{us_cn(overall):,} papers;" in html,
          "report.html lacks the charts or the US-CN count")

    if FAILURES:
        print("\n".join(FAILURES[:30]))
        sys.exit(f"{len(FAILURES)} failure(s)")
    print(f"{len(steps)} commands of docs/tutorial.md in {seconds:.1f} s; "
          f"{len(expectations)} shown outputs and the facts hold")


if __name__ == "__main__":
    main()
