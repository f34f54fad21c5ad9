#!/usr/bin/env python3
"""Inputs must be regular files: `collabgraph ingest` refuses a directory (that is not a CSV
data set), a FIFO, a device and a socket, given as an input or as --lexicon, --universities or
--authors, with exit 2 and a message naming the path, and never blocks on a FIFO.

usage: special_files_test.py COLLABGRAPH_BINARY WORK_DIR
"""
import os
import shutil
import socket
import subprocess
import sys


def main():
    binary, work = sys.argv[1:3]
    root = os.path.join(work, "special")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    good = os.path.join(root, "good2020.json")
    with open(good, "w") as f:
        f.write('[{"id": "a1", "title": "A paper", "author": "Ann Lee", "aff": "MIT"}]')
    empty_dir = os.path.join(root, "nips2020.json")  # a directory with a paper-list name
    os.makedirs(empty_dir)
    fifo = os.path.join(root, "fifo2020.json")
    os.mkfifo(fifo)
    sock_path = os.path.join(root, "sock2020.json")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(sock_path)
    cases = [
        (["ingest", "DB", empty_dir], empty_dir),
        (["ingest", "DB", fifo], fifo),
        (["ingest", "DB", "/dev/null", "--format", "paperlists", "--venue", "x", "--year", "2020"],
         "/dev/null"),
        (["ingest", "DB", sock_path], sock_path),
        (["ingest", "DB", good, "--lexicon", fifo], fifo),
        (["ingest", "DB", good, "--universities", fifo], fifo),
        (["ingest", "DB", good, "--authors", fifo], fifo),
    ]
    failures = []
    for i, (args, path) in enumerate(cases):
        db = os.path.join(root, f"db{i}")
        cmd = [binary] + [db if a == "DB" else a for a in args]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            failures.append(f"{' '.join(args)}: blocked for 60 s")
            continue
        if r.returncode != 2 or path not in r.stderr:
            failures.append(f"{' '.join(args)}: exit {r.returncode}, stderr {r.stderr.strip()!r}")
        else:
            print(f"ok: {r.stderr.strip()}")
    sock.close()
    for f in failures:
        print("FAIL " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
