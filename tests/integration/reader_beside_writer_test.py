#!/usr/bin/env python3
"""Process-level readers and writers: while one process ingests real data, other processes
open the same database read-only (RocksDB secondary instances) and run `check` and `stats`;
every one must succeed and see a consistent state, and a second writer must be refused at once
with "locked by another process".

usage: reader_beside_writer_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import time


def main():
    binary, data_dir, work = sys.argv[1:4]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "*", "*.json.gz")))
    if not files:
        print(f"no paper lists under {data_dir}; skipping")
        sys.exit(77)
    db = os.path.join(work, "beside.db")
    shutil.rmtree(db, ignore_errors=True)
    subprocess.run([binary, "ingest", db, files[0]], check=True, capture_output=True)
    writer = subprocess.Popen([binary, "ingest", db, *files], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    reads = during = 0
    seen = set()
    refused = False
    failures = []
    while True:
        running = writer.poll() is None
        c = subprocess.run([binary, "check", db, "--json"], capture_output=True, text=True)
        if c.returncode != 0:
            failures.append(f"check beside the writer failed ({c.returncode}): {c.stdout[:300]} {c.stderr}")
        s = subprocess.run([binary, "stats", db, "--json"], capture_output=True, text=True)
        if s.returncode != 0:
            failures.append(f"stats beside the writer failed: {s.stderr}")
        else:
            seen.add(json.loads(s.stdout)["papers"])
        if running and not refused:
            w = subprocess.run([binary, "ingest", db, files[0]], capture_output=True, text=True)
            if writer.poll() is None:
                if w.returncode != 2 or "locked by another process" not in w.stderr:
                    failures.append(f"second writer not refused: {w.returncode} {w.stderr}")
                refused = True
        reads += 1
        during += running
        if not running:
            break
        time.sleep(0.05)
    if writer.returncode != 0:
        failures.append(f"the writer failed: {writer.stderr.read().decode()}")
    if during < 3 or len(seen) < 2:
        failures.append(f"only {during} reads while writing, {len(seen)} distinct states")
    if not refused:
        failures.append("never tried a second writer while the first ran")
    if failures:
        sys.exit("\n".join(failures))
    print(f"{reads} check+stats reads ({during} while writing) saw {len(seen)} consistent states; "
          "second writer refused")


if __name__ == "__main__":
    main()
