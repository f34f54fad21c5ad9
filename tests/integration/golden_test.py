#!/usr/bin/env python3
"""Golden databases: every tests/golden/vN/db (written by format version N) must keep opening
with the same answers (info with content hash, per-year stats, institution centrality, check),
and a golden database of the current format version must exist. All of them hold the same
input, so the traversals and country queries must also answer alike in every version: a format
read through its fallbacks (format 2 has no paper rosters) gives what the newest format gives. Regenerating one requires a
format version bump (tests/golden/make_golden.sh refuses to overwrite).

usage: golden_test.py GOLDEN_DIR COLLABGRAPH_BINARY WORK_DIR FORMAT_VERSION
"""
import glob
import json
import os
import shutil
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return json.loads(p.stdout) if p.stdout.startswith("{") else p.stdout


def keeps(got, want):
    """True when `got` gives every answer of `want`: dicts may gain keys (new statistics),
    but every key of `want` must be there with the same value; lists match element-wise."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and keeps(got[k], v) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(
            keeps(g, w) for g, w in zip(got, want))
    return got == want


def main():
    golden, binary, work, version = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    dirs = sorted(glob.glob(os.path.join(golden, "v*")))
    if not os.path.isdir(os.path.join(golden, f"v{version}")):
        sys.exit(f"no golden database for the current format version {version}: "
                 "run tests/golden/make_golden.sh")
    failures = []
    queries = [["papers", "--country", "US"], ["papers", "--all-countries", "US",
               "--all-countries", "CN"], ["papers", "--country", "CH", "--country", "CN"],
               ["pairs"], ["neighborhood", "1", "--graph", "author", "--hops", "2"],
               ["neighborhood", "1", "--graph", "institution", "--hops", "2"], ["paper", "1"],
               ["path", "1", "4", "--graph", "author"]]
    answers = {}
    for d in dirs:
        name = os.path.basename(d)
        db = os.path.join(work, "golden", name)
        shutil.rmtree(db, ignore_errors=True)
        shutil.copytree(os.path.join(d, "db"), db)  # the checked-in files are never opened
        expected = {f: json.load(open(os.path.join(d, "expected", f)))
                    for f in os.listdir(os.path.join(d, "expected"))}
        info = run([binary, "info", db, "--hash", "--json"])
        for key in ("path", "approximate_bytes"):
            info.pop(key)
        info["format"].pop("library")
        expected["info.json"]["format"].pop("library")
        got = {
            "info.json": info,
            "stats.json": run([binary, "stats", db, "--by", "year", "--json"]),
            "centrality.json": run([binary, "centrality", db, "--graph", "institution",
                                    "--metric", "betweenness", "--top", "0", "--json"]),
        }
        for f, want in expected.items():
            # The rules text may gain entries as statistics grow; the answers may not change.
            if isinstance(want, dict):
                want.pop("rules", None)
                got[f].pop("rules", None)
            if not keeps(got[f], want):
                failures.append(f"{name}/{f}: answers changed\n got: {got[f]}\nwant: {want}")
        run([binary, "check", db])
        for q in queries:
            got_q = run([binary, "query", db] + q + ["--limit", "0", "--json"])
            want_q = answers.setdefault(" ".join(q), (name, got_q))
            if got_q != want_q[1]:
                failures.append(f"{name}: query {' '.join(q)} answers otherwise than "
                                f"{want_q[0]}\n got: {got_q}\nwant: {want_q[1]}")
        print(f"{name}: format read {info['format']['read']}, hash {info['content_hash']}: "
              f"same answers")
    if failures:
        sys.exit("\n".join(failures))


if __name__ == "__main__":
    main()
