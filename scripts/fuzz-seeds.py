#!/usr/bin/env python3
"""Writes seed inputs for the fuzz targets of tests/fuzz from the real data, at run time (the
data are never copied into the repository). Records are trimmed to the fields the readers use
so that seeds stay small; the choice is deterministic.

usage: fuzz-seeds.py DATA_DIR OUT_DIR
Writes OUT_DIR/<target>/seed-NNNN for the targets paperlists, openalex, csv, key_codec and
value_codec, and prints how many seeds each got.
"""
import glob
import gzip
import json
import os
import random
import struct
import sys

PAPERLISTS_FIELDS = ["id", "title", "author", "aff", "aff_unique_norm", "aff_unique_index",
                     "aff_unique_url", "aff_country_unique", "aff_country_unique_index",
                     "aff_domain", "authorids", "status", "track", "site", "gs_citation",
                     "citations", "abstract"]


def trim_paperlists(record):
    out = {k: record[k] for k in PAPERLISTS_FIELDS if k in record}
    if isinstance(out.get("abstract"), str):
        out["abstract"] = out["abstract"][:80]
    return out


def trim_openalex(work):
    def pick(obj, keys):
        return {k: obj[k] for k in keys if isinstance(obj, dict) and k in obj}
    out = pick(work, ["id", "doi", "title", "type", "publication_year", "cited_by_count"])
    loc = work.get("primary_location")
    if isinstance(loc, dict) and isinstance(loc.get("source"), dict):
        out["primary_location"] = {"source": pick(loc["source"], ["display_name", "id"])}
    if isinstance(work.get("referenced_works"), list):
        out["referenced_works"] = work["referenced_works"][:4]
    authorships = []
    for a in (work.get("authorships") or [])[:6]:
        b = pick(a, ["raw_author_name", "author_position"])
        if isinstance(a.get("author"), dict):
            b["author"] = pick(a["author"], ["id", "display_name", "orcid"])
        b["institutions"] = [pick(i, ["id", "display_name", "country_code", "ror"])
                             for i in (a.get("institutions") or [])[:3]]
        authorships.append(b)
    out["authorships"] = authorships
    return out


def csv_field(value):
    value = str(value)
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_tables(records, venue, year):
    """The seven CollabGraph CSV tables for some paperlists records, joined by 0x1E in the
    order the csv fuzzer expects."""
    papers, authors, insts, countries = [], {}, {}, {}
    authored, affiliated, located = [], set(), set()
    for pid, r in enumerate(records, 1):
        papers.append([pid, r.get("title", ""), venue, year])
        names = [n.strip() for n in (r.get("author") or "").split(";") if n.strip()]
        inst_names = (r.get("aff_unique_norm") or "").split(";")
        inst_index = (r.get("aff_unique_index") or "").split(";")
        country_names = (r.get("aff_country_unique") or "").split(";")
        country_index = (r.get("aff_country_unique_index") or "").split(";")
        for pos, name in enumerate(names):
            aid = authors.setdefault(name, len(authors) + 1)
            authored.append([aid, pid, pos])
            idx = inst_index[pos].split("+") if pos < len(inst_index) else []
            cdx = country_index[pos].split("+") if pos < len(country_index) else []
            for k, i in enumerate(idx):
                if not i.isdigit() or int(i) >= len(inst_names) or not inst_names[int(i)]:
                    continue
                iid = insts.setdefault(inst_names[int(i)], len(insts) + 1)
                affiliated.add((aid, pid, iid))
                if k < len(cdx) and cdx[k].isdigit() and int(cdx[k]) < len(country_names):
                    cid = countries.setdefault(country_names[int(cdx[k])], len(countries) + 1)
                    located.add((iid, cid))
    tables = [
        ("id,title,venue,year", papers),
        ("id,name", [[v, k] for k, v in authors.items()]),
        ("id,name", [[v, k] for k, v in insts.items()]),
        ("id,name", [[v, k] for k, v in countries.items()]),
        ("author,paper,position", authored),
        ("author,paper,institution", sorted(affiliated)),
        ("institution,country", sorted(located)),
    ]
    text = []
    for header, rows in tables:
        text.append(header + "\n" + "".join(",".join(csv_field(f) for f in row) + "\n"
                                             for row in rows))
    return "\x1e".join(text).encode()


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def lp(b):
    return varint(len(b)) + b


def encode_properties(props):
    """docs/format.md, "Property values"."""
    out = bytearray(varint(len(props)))
    for name in sorted(props, key=lambda n: n.encode()):
        value = props[name]
        out += lp(name.encode())
        if isinstance(value, bool):
            out += bytes([4, 1 if value else 0])
        elif isinstance(value, int):
            out += bytes([1]) + varint(((value << 1) ^ (value >> 63)) & (2**64 - 1))
        elif isinstance(value, float):
            out += bytes([2]) + struct.pack(">d", value)
        elif isinstance(value, list):
            out += bytes([5]) + varint(len(value)) + b"".join(lp(s.encode()) for s in value)
        else:
            out += bytes([3]) + lp(str(value).encode())
    return bytes(out)


def ordered(s):
    return s.encode().replace(b"\x00", b"\x00\xff") + b"\x00\x01"


def main():
    data, out = sys.argv[1:3]
    rng = random.Random(20261125)
    seeds = {t: [] for t in ["paperlists", "openalex", "csv", "key_codec", "value_codec"]}
    for path in sorted(glob.glob(os.path.join(data, "paperlists", "*", "*.json.gz"))):
        records = json.load(gzip.open(path))
        if not isinstance(records, list) or not records:
            continue
        venue = os.path.basename(os.path.dirname(path))
        year = int(os.path.basename(path)[len(venue):len(venue) + 4])
        picked = [trim_paperlists(records[0]), trim_paperlists(rng.choice(records))]
        for r in picked:
            seeds["paperlists"].append(json.dumps([r], separators=(",", ":")).encode())
        # Two records and a duplicate of the first: exercises merging.
        seeds["paperlists"].append(
            json.dumps(picked + picked[:1], ensure_ascii=False, indent=1).encode())
        seeds["csv"].append(csv_tables(picked, venue, year))
        r = picked[1]
        props = {k: r[k] for k in ("title", "track", "status") if isinstance(r.get(k), str)}
        props["year"] = year
        props["citations"] = r.get("gs_citation") if isinstance(r.get("gs_citation"), int) else 0
        props["authors"] = [a.strip() for a in (r.get("author") or "").split(";")][:5]
        props["accepted"] = r.get("status") != "Reject"
        props["weight"] = 1.0 / max(1, len(props["authors"]))
        seeds["value_codec"].append(encode_properties(props))
        key = bytes([1]) + ordered(venue) + struct.pack(">H", year) + ordered(str(r.get("id")))
        seeds["key_codec"].append(key)
        seeds["key_codec"].append(bytes([9, 2]) + ordered(props["authors"][0]) +
                                  struct.pack(">Q", rng.randrange(1, 50000)))
    works = [json.loads(line) for line in gzip.open(
        os.path.join(data, "openalex", "works_sample.jsonl.gz"))]
    trimmed = [trim_openalex(w) for w in works]
    for i in range(0, len(trimmed), 2):
        seeds["openalex"].append((json.dumps(trimmed[i], separators=(",", ":")) + "\n").encode())
    for i in range(0, len(trimmed) - 2, 25):
        seeds["openalex"].append("\n".join(json.dumps(w) for w in trimmed[i:i + 3]).encode())
    for i in range(1, 40):
        seeds["key_codec"].append(bytes([1 + i % 6]) + struct.pack(">Q", rng.randrange(1, 10**6)))
        seeds["key_codec"].append(bytes([1 + i % 6, 1 + i % 2]) +
                                  struct.pack(">QQI", rng.randrange(1, 10**6),
                                              rng.randrange(1, 10**6), i % 5))
    for target, items in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for i, item in enumerate(items):
            with open(os.path.join(d, f"seed-{i:04d}"), "wb") as f:
                f.write(item)
        print(f"{target}: {len(items)} seeds, {sum(map(len, items)) // 1024} KiB")


if __name__ == "__main__":
    main()
