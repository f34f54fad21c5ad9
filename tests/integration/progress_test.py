#!/usr/bin/env python3
"""Ingest progress: on a terminal (a pseudo-terminal here) stderr shows a progress line for the
read phase (files, MB, MB/s, ETA) and the write phase (papers, papers/s, ETA), rewritten in
place and cleared at the end; in a pipe stderr stays free of it. Both end with the summary
line (papers, authorships, share with a country, warnings, skipped).

usage: progress_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import os
import pty
import re
import shutil
import subprocess
import sys


def main():
    binary, data_dir, work = sys.argv[1:4]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")))
    if not files:
        print(f"no NeurIPS paper lists under {data_dir}; skipping")
        sys.exit(77)
    failures = []
    summary = re.compile(r"31 file\(s\) in [0-9.]+ s: 9\d\d\d papers added, 0 already present, "
                         r"\d+ authorships \([0-9.]+% with a country\), \d+ warning\(s\), "
                         r"0 skipped")

    db = os.path.join(work, "progress_tty.db")
    shutil.rmtree(db, ignore_errors=True)
    master, slave = pty.openpty()
    p = subprocess.Popen([binary, "ingest", db, *files], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    out = p.stdout.read().decode()
    p.wait()
    err = err.decode()
    if p.returncode != 0:
        failures.append(f"terminal ingest exit {p.returncode}: {err[-500:]}")
    if not re.search(r"\r\x1b\[Kreading 31/31 files, [0-9.]+ of [0-9.]+ MB \([0-9.]+ MB/s\), "
                     r"ETA \d+ s", err):
        failures.append(f"no final read-phase progress line: {err[-400:]!r}")
    if not re.search(r"\r\x1b\[Kwriting 9\d\d\d/9\d\d\d papers \(\d+ papers/s\), ETA 0 s", err):
        failures.append(f"no final write-phase progress line: {err[-400:]!r}")
    if not err.endswith("\r\x1b[K"):
        failures.append(f"the progress line is not cleared at the end: {err[-100:]!r}")
    if not summary.search(out):
        failures.append(f"no summary line on stdout: {out[-400:]}")

    db = os.path.join(work, "progress_pipe.db")
    shutil.rmtree(db, ignore_errors=True)
    p = subprocess.run([binary, "ingest", db, *files], capture_output=True, text=True)
    if p.returncode != 0 or "\r" in p.stderr or "writing" in p.stderr:
        failures.append(f"pipe ingest: exit {p.returncode}, stderr {p.stderr[-300:]!r}")
    if not summary.search(p.stdout):
        failures.append(f"pipe ingest: no summary line: {p.stdout[-400:]}")
    if failures:
        print("\n".join(failures))
        sys.exit(f"{len(failures)} failure(s)")
    print("progress line on a terminal, none in a pipe; summary: " + summary.search(out).group(0))


if __name__ == "__main__":
    main()
