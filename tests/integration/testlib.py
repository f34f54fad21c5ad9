"""Helpers shared by the integration tests (imported from the test scripts' own directory)."""
import json
import subprocess
import sys


def run(cmd, ok_codes=(0,)):
    """Runs `cmd`; exits the test naming the command, its exit code and stderr unless the exit
    code is in `ok_codes`. Returns stdout."""
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in ok_codes:
        sys.exit(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{p.stdout[-2000:]}\n{p.stderr}")
    return p.stdout


def content(binary, db):
    """`info --hash --json` without the fields that depend on the path or the file layout."""
    data = json.loads(run([binary, "info", db, "--hash", "--json"]))
    data.pop("approximate_bytes", None)
    data.pop("path", None)
    return data
