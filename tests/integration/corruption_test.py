#!/usr/bin/env python3
"""Corrupted database files: byte flips and truncations of SST, MANIFEST and WAL files (and of
OPTIONS files, which CollabGraph never loads) must end in a clear corruption error or a clean
check, never a crash or a hang.

Two base databases are built from real paper lists with the CLI: a finished ingest (everything
in SST files, an empty WAL) and an ingest killed with SIGKILL while its write-ahead log holds
papers not yet flushed. Each case copies one of them, damages one file, and runs
`collabgraph check DB --json` and `collabgraph info DB --hash --json`, each under a timeout.
Every run must
  - exit 0 (a clean check), or 2 or 3 with a message on stderr (a data or integrity error);
    never die by a signal, exit 1 (usage), time out, or print a sanitizer report;
  - agree: `info` fails when `check` fails to open the database, and succeeds when it passes.
Besides, damaged SST files must never change the content silently: a clean check of a database
with a damaged SST file holds exactly the base's content hash. Damaged OPTIONS files must not
matter at all (they are never read). Some cases must end in errors, or the test proves nothing.

usage: corruption_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR [CASES] [SEED]
Prints one line per outcome class and per file kind; exits 1 on any failure.
"""
import collections
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

TIMEOUT = 120  # seconds for one command; a hang is a failure
SANITIZER_MARKS = ("AddressSanitizer", "UndefinedBehaviorSanitizer", "runtime error:",
                   "LeakSanitizer")


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace", timeout=TIMEOUT, **kw)


def build_bases(binary, data_dir, root):
    small = [os.path.join(data_dir, "paperlists", "alt", "alt2025.json.gz"),
             os.path.join(data_dir, "paperlists", "3dv", "3dv2025.json.gz")]
    nips = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "*.json.gz")))
    if not all(os.path.exists(f) for f in small) or not nips:
        print(f"paper lists missing under {data_dir}; skipping")
        sys.exit(77)
    flushed = os.path.join(root, "base-flushed")
    r = run([binary, "ingest", flushed, *small])
    if r.returncode != 0:
        sys.exit(f"base ingest failed: {r.stderr}")
    # Kill an ingest once its WAL holds some papers (at least 64 KiB): the database then has
    # SST files (the meta records), a MANIFEST and a live WAL.
    walled = os.path.join(root, "base-wal")
    for attempt in range(5):
        shutil.rmtree(walled, ignore_errors=True)
        proc = subprocess.Popen([binary, "ingest", walled, *nips], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            logs = glob.glob(os.path.join(walled, "*.log"))
            if logs and max(os.path.getsize(f) for f in logs) > 64 * 1024:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        proc.wait()
        if proc.returncode == -signal.SIGKILL and glob.glob(os.path.join(walled, "*.log")):
            break
    else:
        sys.exit("could not stop an ingest while its WAL held data")
    bases = {}
    for name, path in (("flushed", flushed), ("wal", walled)):
        r = run([binary, "check", path, "--json"])
        if r.returncode != 0:
            sys.exit(f"base {name} does not check clean: {r.stdout} {r.stderr}")
        info = run([binary, "info", path, "--hash", "--json"])
        bases[name] = (path, json.loads(info.stdout)["content_hash"])
    return bases


def files_of(db, kind):
    patterns = {"sst": "*.sst", "manifest": "MANIFEST-*", "wal": "*.log", "options": "OPTIONS-*"}
    return sorted(f for f in glob.glob(os.path.join(db, patterns[kind]))
                  if os.path.getsize(f) > 0 or kind == "wal")


def damage(path, rng):
    """Flips 1-8 bytes or truncates the file; returns a description."""
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        if size > 0 and rng.random() < 0.6:
            offsets = sorted({rng.randrange(size) for _ in range(rng.randint(1, 8))})
            for off in offsets:
                f.seek(off)
                b = f.read(1)[0]
                f.seek(off)
                f.write(bytes([b ^ rng.randint(1, 255)]))
            return f"flip {len(offsets)} byte(s) at {offsets[:3]} of {size}"
        length = rng.randrange(size) if size > 0 else 0
        f.truncate(length)
        return f"truncate {size} -> {length}"


def main():
    binary, data_dir, work = sys.argv[1:4]
    cases = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 20261126)
    root = os.path.join(work, "corruption")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    bases = build_bases(binary, data_dir, root)

    # The file kinds in turn; WAL damage is done to the base whose WAL holds papers.
    plan = ["sst", "manifest", "wal", "sst", "manifest", "wal", "sst", "options"]
    outcomes = collections.Counter()
    per_kind = collections.defaultdict(collections.Counter)
    failures = []
    start = time.monotonic()
    for i in range(cases):
        kind = plan[i % len(plan)]
        base_name = "wal" if kind == "wal" else rng.choice(["flushed", "wal"])
        base, base_hash = bases[base_name]
        db = os.path.join(root, f"case-{i}")
        shutil.copytree(base, db)
        victim = rng.choice(files_of(db, kind))
        what = f"case {i}: {base_name} base, {os.path.basename(victim)}: {damage(victim, rng)}"
        try:
            check = run([binary, "check", db, "--json"])
            info = run([binary, "info", db, "--hash", "--json"])
        except subprocess.TimeoutExpired as e:
            failures.append(f"{what}: '{' '.join(e.cmd[1:2])}' hung for more than {TIMEOUT} s")
            outcomes["hang"] += 1
            continue
        problems = []
        for name, r in (("check", check), ("info", info)):
            if r.returncode < 0:
                problems.append(f"{name} died by signal {-r.returncode}")
            elif r.returncode not in (0, 2, 3):
                problems.append(f"{name} exited {r.returncode}")
            elif r.returncode != 0 and not r.stderr.strip() and not r.stdout.strip():
                problems.append(f"{name} exited {r.returncode} without a message")
            if any(m in r.stderr for m in SANITIZER_MARKS):
                problems.append(f"{name} printed a sanitizer report")
        if (kind == "sst" and info.returncode == 0 and
                json.loads(info.stdout)["content_hash"] != base_hash):
            # Every block of a table file is checksummed: damage must be an error, never a
            # database that silently holds less (a read-only open once showed an older state).
            problems.append("info succeeded on a damaged SST file with different content")
        if check.returncode == 0:
            outcome = "clean check"
            if info.returncode != 0:
                problems.append("check passed but info failed: " + info.stderr.strip()[:200])
        elif check.returncode == 3:
            outcome = "integrity violations (exit 3)"
        else:
            outcome = "corruption error (exit 2)"
            if info.returncode == 0:
                problems.append("check failed but info succeeded")
        if kind == "options" and check.returncode != 0:
            problems.append("a damaged OPTIONS file mattered: " + check.stderr.strip()[:200])
        outcomes[outcome] += 1
        per_kind[kind][outcome] += 1
        if problems:
            failures.append(f"{what}: {'; '.join(problems)}")
        shutil.rmtree(db, ignore_errors=True)

    print(f"{cases} cases in {time.monotonic() - start:.1f} s: " +
          ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())))
    for kind, counts in sorted(per_kind.items()):
        print(f"  {kind}: " + ", ".join(f"{n} {o}" for o, n in sorted(counts.items())))
    for f in failures:
        print("FAIL " + f)
    errors = outcomes["corruption error (exit 2)"] + outcomes["integrity violations (exit 3)"]
    if cases >= 8 and errors < cases // 4:
        failures.append(f"only {errors} of {cases} cases ended in an error: damage not exercised")
        print("FAIL " + failures[-1])
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
