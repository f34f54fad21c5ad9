#!/usr/bin/env python3
"""The bulk path (`ingest --bulk`: large batches without the WAL, one atomic flush) leaves the
same logical content as record-by-record ingest: same `info --json`, same content hash, and
`check` passes. Also checks that year-by-year ingest equals all-at-once ingest.

usage: bulk_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import json
import os
import shutil
import subprocess
import sys

from testlib import content, run


def main():
    binary, data_dir, work = sys.argv[1:4]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "*", "*.json.gz")))
    if not files:
        print(f"no paper lists under {data_dir}; skipping")
        sys.exit(77)
    root = os.path.join(work, "bulk")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    record, bulk, yearly = (os.path.join(root, n) for n in ("record.db", "bulk.db", "yearly.db"))
    run([binary, "ingest", record, *files])
    run([binary, "ingest", bulk, "--bulk", *files])
    nips = [f for f in files if "/nips/" in f]
    for f in nips:  # one process per year, in the same order as the all-at-once ingest
        run([binary, "ingest", yearly, f])
    nips_once = os.path.join(root, "nips.db")
    run([binary, "ingest", nips_once, *nips])
    for db in (record, bulk, yearly):
        run([binary, "check", db])
    a, b = content(binary, record), content(binary, bulk)
    if a != b:
        sys.exit(f"bulk ingest differs from record-by-record ingest:\n{a}\n{b}")
    y, o = content(binary, yearly), content(binary, nips_once)
    if y != o:
        sys.exit(f"year-by-year ingest differs from all-at-once ingest:\n{y}\n{o}")
    print(f"{len(files)} files: bulk == record-by-record (hash {a['content_hash']}, "
          f"{a['nodes']['Paper']} papers); NeurIPS year by year == all at once")


if __name__ == "__main__":
    main()
