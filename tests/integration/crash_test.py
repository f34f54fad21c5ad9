#!/usr/bin/env python3
"""Crash consistency: an ingest of real data is killed with SIGKILL at random moments, again
and again on the same database. After every kill `collabgraph check` must pass (each paper is
whole or absent, counters exact); at the end a resumed ingest completes and the database equals
a clean ingest of the same files (same `info --json` and content hash). Then `compact` is
killed at random moments on copies of the clean database: its content must never change.

With MODE `bulk` the ingests run in bulk mode, in batches of 300 papers (`--bulk
--bulk-batch 300`): a kill then lands while a batch is being built, while the one before it is
written and ingested on its own thread, or during the final merge.

usage: crash_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR [KILLS] [SEED] [MODE]
Prints the number of kills, how many interrupted writing, and the violations (must be 0).
"""
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

from testlib import content, run


def main():
    binary, data_dir, work = sys.argv[1:4]
    kills = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 20261125)
    mode = sys.argv[6] if len(sys.argv) > 6 else "record"
    if mode not in ("record", "bulk"):
        sys.exit(f"MODE must be record or bulk, not {mode}")
    ingest_options = ["--bulk", "--bulk-batch", "300"] if mode == "bulk" else []
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "*.json.gz")))
    if not files:
        print(f"no NeurIPS files under {data_dir}; skipping")
        sys.exit(77)
    root = os.path.join(work, "crash" if mode == "record" else "crash-bulk")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    clean = os.path.join(root, "clean.db")
    start = time.monotonic()
    run([binary, "ingest", clean, *ingest_options, *files])
    clean_seconds = time.monotonic() - start
    expected = content(binary, clean)

    db = os.path.join(root, "crashed.db")
    violations = 0
    interrupted = 0
    previous_papers = 0
    for k in range(kills):
        proc = subprocess.Popen([binary, "ingest", db, *ingest_options, *files],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.0, clean_seconds * 1.1))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        if proc.returncode not in (-signal.SIGKILL, 0):
            sys.exit(f"kill {k}: ingest failed by itself ({proc.returncode}): {err.decode()}")
        if not os.path.exists(db):
            continue
        report = json.loads(run([binary, "check", db, "--json"], ok_codes=(0, 3)))
        if report["violation_count"]:
            violations += report["violation_count"]
            print(f"kill {k}: {report['violation_count']} violation(s): {report['violations'][:3]}")
        now = content(binary, db)
        papers = now["nodes"]["Paper"]
        if 0 < papers - previous_papers and papers < expected["nodes"]["Paper"]:
            interrupted += 1
        previous_papers = papers
        if papers == expected["nodes"]["Paper"]:
            # The ingest finished before the kill: start over, so that later kills land on
            # writes again (a finished database only checks and skips).
            if now != expected:
                sys.exit(f"kill {k}: a finished ingest differs from the clean one")
            shutil.rmtree(db)
            previous_papers = 0

    run([binary, "ingest", db, *ingest_options, *files])
    final_check = json.loads(run([binary, "check", db, "--json"], ok_codes=(0, 3)))
    violations += final_check["violation_count"]
    got = content(binary, db)
    print(f"{mode}: kills {kills}, interrupting a write {interrupted}, violations {violations}; "
          f"clean ingest {clean_seconds:.2f} s; content hash {got.get('content_hash')} "
          f"(clean {expected.get('content_hash')})")
    if violations:
        sys.exit("integrity violations after SIGKILL")
    if got != expected:
        sys.exit(f"resumed database differs from a clean ingest:\n{got}\n{expected}")
    if interrupted < max(1, kills // 10):
        sys.exit(f"only {interrupted} of {kills} kills landed while papers were being written; "
                 "the test did not exercise crashes")
    if mode == "record":
        compact_kills(binary, root, clean, expected, rng)


def compact_kills(binary, root, clean, expected, rng, kills=10):
    """`compact` killed at random moments, each time on a fresh copy of the clean database:
    every kill leaves the content as it was, and a rerun finishes the compaction."""
    db = os.path.join(root, "compacting.db")
    # How long an uninterrupted compaction takes: the shortest of three, each on a fresh copy.
    # One timing alone can come out slow (other tests share the cores, the copy is not yet in
    # the page cache), and kills drawn over it then mostly land after the end (it happened
    # under ctest -j2: 0.43 s measured, 1 kill of 10 in time; 0.22 s when run alone).
    seconds = float("inf")
    for _ in range(3):
        shutil.rmtree(db, ignore_errors=True)
        shutil.copytree(clean, db)
        start = time.monotonic()
        run([binary, "compact", db])
        seconds = min(seconds, time.monotonic() - start)
    landed = 0
    for k in range(kills):
        shutil.rmtree(db)
        shutil.copytree(clean, db)
        proc = subprocess.Popen([binary, "compact", db], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.0, seconds))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        if proc.returncode not in (-signal.SIGKILL, 0):
            sys.exit(f"compact kill {k}: compact failed by itself ({proc.returncode}): "
                     f"{err.decode()}")
        landed += proc.returncode == -signal.SIGKILL
        report = json.loads(run([binary, "check", db, "--json"], ok_codes=(0, 3)))
        if report["violation_count"] or content(binary, db) != expected:
            sys.exit(f"compact kill {k}: the content changed: {report['violations'][:3]}")
    after = json.loads(run([binary, "compact", db, "--json"]))
    if after["sorted_runs_after"] != 6 or content(binary, db) != expected:
        sys.exit(f"a compaction after the kills did not finish cleanly: {after}")
    print(f"compact: {kills} kills ({landed} before it finished; uninterrupted it takes "
          f"{seconds:.2f} s), content unchanged every time")
    if landed < kills // 2:
        sys.exit(f"only {landed} of {kills} kills landed before the compaction finished")


if __name__ == "__main__":
    main()
