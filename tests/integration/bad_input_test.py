#!/usr/bin/env python3
"""Bad input, class by class: truncated JSON, truncated gzip, wrong field types, affiliation
indices that refer to nothing, invalid UTF-8, absurd sizes (field and author caps), deep
nesting, an empty file and a file that is not an array, in paper lists and OpenAlex JSON
Lines. For each:

* `ingest` exits 2 with a message naming the file and the record (and the byte or line);
* nothing is written: an existing database keeps its content hash, a new one is not created;
* `ingest --skip-bad` exits 0, reports the skipped record on stderr and in `skipped`, and
  writes the good records of the same file (a truncated file keeps those before the damage).

The good records come from real files (nips2016, the OpenAlex sample), so the skip path is
checked on real records next to the bad one.

usage: bad_input_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import gzip
import json
import os
import shutil
import subprocess
import sys

from testlib import content, run


def main():
    binary, data_dir, work = sys.argv[1:4]
    source = os.path.join(data_dir, "paperlists", "nips", "nips2016.json.gz")
    if not os.path.exists(source):
        print(f"no {source}; skipping")
        sys.exit(77)
    root = os.path.join(work, "bad_input")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    real = json.load(gzip.open(source, "rt", encoding="utf-8"))[:3]
    good_text = [json.dumps(r) for r in real]  # three real records

    def paper_list(name, bad_record):
        """A paper list: two real records, the bad record text, then a third real record."""
        body = ",".join(good_text[:2] + [bad_record] + good_text[2:])
        return name, ("[" + body + "]").encode("utf-8")

    deep = '{"id": "x", "k": ' + "[" * 70 + "1" + "]" * 70 + "}"
    cases = [
        # (class, file name, bytes, expected message parts, good records kept by --skip-bad)
        ("truncated JSON", "test2001.json",
         ("[" + ",".join(good_text) + ',{"id": "x", "title": "cut her').encode(),
         ["test2001.json: record 3 (byte", "truncated"], 3),
        ("wrong field type", *paper_list("test2002.json", '{"id": "x", "author": 17}'),
         ['test2002.json: record 2 (id "x"): field "author" must be a string'], 3),
        ("index to nothing", *paper_list(
            "test2003.json", '{"id": "x", "author": "A; B", "aff_unique_norm": "MIT",'
                             ' "aff_unique_index": "0;4"}'),
         ['test2003.json: record 2 (id "x"): aff_unique_index refers to position 4 but '
          'aff_unique_norm has 1 entries'], 3),
        ("invalid UTF-8", "test2004.json",
         b"[" + ",".join(good_text[:2]).encode() + b',{"id": "x", "title": "caf\xc3\x28"},' +
         good_text[2].encode() + b"]",
         ["test2004.json: record 2 (byte", "invalid UTF-8"], 3),
        ("field over the cap", *paper_list(
            "test2005.json", json.dumps({"id": "x", "title": "t" * (4 * 1024 * 1024 + 1)})),
         ['test2005.json: record 2 (id "x"): field "title" has 4194305 bytes, more than the '
          'cap of 4194304'], 3),
        ("authors over the cap", *paper_list(
            "test2006.json", json.dumps({"id": "x", "author": "; ".join(
                f"Author {i}" for i in range(10001))})),
         ['test2006.json: record 2 (id "x"): 10001 authors, more than the cap of 10000'], 3),
        ("deep nesting", *paper_list("test2007.json", deep),
         ["test2007.json: record 2 (byte", "nesting deeper than 64 levels"], 3),
        ("empty file", "test2008.json", b"", ["test2008.json: empty file"], 0),
        ("not an array", "test2009.json", b'{"id": "x"}',
         ["test2009.json: a paper list must be a JSON array of records"], 0),
    ]
    # A gzip file cut in the middle of its third record.
    gz = gzip.compress(("[" + ",".join(good_text) + "]").encode())
    cases.append(("truncated gzip", "test2010.json.gz", gz[: len(gz) * 3 // 4],
                  ["test2010.json.gz: record", "gzip stream corrupt or truncated"], None))
    # OpenAlex JSON Lines: a line with invalid UTF-8, and a line with a field of the wrong type.
    oa_path = os.path.join(data_dir, "openalex", "works_sample.jsonl.gz")
    oa_lines = gzip.open(oa_path, "rb").read().splitlines()[:4]
    oa = b"\n".join(oa_lines[:2] + [b'{"id": "W1", "title": "caf\xc3\x28"}'] + oa_lines[2:])
    cases.append(("OpenAlex invalid UTF-8", "works.jsonl", oa,
                  ["works.jsonl: line 3: invalid UTF-8 at byte"], 4))
    wrong = b'{"id": "W2", "publication_year": 2020, "authorships": 3}'
    oa = b"\n".join(oa_lines[:1] + [wrong] + oa_lines[1:])
    cases.append(("OpenAlex wrong type", "works2.jsonl", oa,
                  ['works2.jsonl: line 2 (work W2): field "authorships" must be an array'], 4))

    db = os.path.join(root, "db")
    run([binary, "ingest", db, source])
    before = content(binary, db)
    failures = []
    for label, name, data, needles, kept in cases:
        path = os.path.join(root, name)
        with open(path, "wb") as f:
            f.write(data)
        # Into an existing database: exit 2, the message, nothing written.
        p = subprocess.run([binary, "ingest", db, path], capture_output=True, text=True)
        if p.returncode != 2:
            failures.append(f"{label}: exit {p.returncode}, expected 2 ({p.stderr.strip()})")
        for n in needles:
            if n not in p.stderr:
                failures.append(f"{label}: message lacks {n!r}: {p.stderr.strip()[:300]}")
        if content(binary, db) != before:
            failures.append(f"{label}: the failed ingest changed the database")
        # Into a new path: nothing left behind.
        fresh = os.path.join(root, "fresh")
        subprocess.run([binary, "ingest", fresh, path], capture_output=True)
        if os.path.exists(fresh):
            failures.append(f"{label}: a failed ingest into a new path left {fresh}")
            shutil.rmtree(fresh)
        # --skip-bad: the good records go in, the bad one is reported.
        skip_db = os.path.join(root, "skip")
        shutil.rmtree(skip_db, ignore_errors=True)
        p = subprocess.run([binary, "ingest", skip_db, path, "--skip-bad", "--json"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            failures.append(f"{label}: --skip-bad exit {p.returncode}: {p.stderr.strip()[:300]}")
            continue
        f = json.loads(p.stdout)["files"][0]
        if f["skipped"] < 1:
            failures.append(f"{label}: --skip-bad reported no skipped record: {f}")
        if kept is not None and f["added"] != kept:
            failures.append(f"{label}: --skip-bad added {f['added']} papers, expected {kept}")
        if kept is None and not 0 < f["added"] < 3:
            failures.append(f"{label}: --skip-bad on the cut gzip added {f['added']} papers, "
                            "expected the records before the damage")
        shutil.rmtree(skip_db, ignore_errors=True)
        p = subprocess.run([binary, "ingest", skip_db, path, "--skip-bad"], capture_output=True,
                           text=True)
        if "skipped: " + path not in p.stderr:
            failures.append(f"{label}: --skip-bad did not name the skipped record on stderr: "
                            f"{p.stderr.strip()[:300]}")
        if os.path.exists(skip_db):
            check = subprocess.run([binary, "check", skip_db], capture_output=True, text=True)
            if check.returncode != 0:
                failures.append(f"{label}: check after --skip-bad: {check.stdout[-300:]}")
    if failures:
        print("\n".join(failures))
        sys.exit(f"{len(failures)} failure(s)")
    print(f"{len(cases)} classes of bad input: exit 2 naming file and record, nothing written; "
          "--skip-bad keeps the good records and reports the bad one")


if __name__ == "__main__":
    main()
