#!/usr/bin/env python3
"""The us_china_neurips example on every NeurIPS paper list: its per-year table, institutions,
country pairs and tag cross-tab must equal what the CLI reports for the same database (stats
--by year under both pair rules, pairs --detail US,CN, pairs), and the SVG chart it writes
must parse as XML with one point per year and series whose share equals the table's.

usage: example_test.py EXAMPLE_BINARY COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import json
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

from testlib import run


def section(text, title):
    """The lines after the line starting with `title` up to the next blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    out = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        out.append(line)
    return out


def main():
    example, cli, data_dir, work = sys.argv[1:5]
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")))
    if not files:
        print(f"no NeurIPS paper lists under {data_dir}; skipping")
        sys.exit(77)
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "example.db")
    svg = os.path.join(work, "us_china_share.svg")
    shutil.rmtree(db, ignore_errors=True)
    if os.path.exists(svg):
        os.remove(svg)
    universities = os.path.join(data_dir, "reference", "world_universities_and_domains.json.gz")
    out = run([example, db, "--svg", svg, "--universities", universities, *files])
    failures = []

    # 1. The per-year table against stats --by year, default and bilateral pair rules.
    # The example counts Hong Kong, Macao and Taiwan as China.
    merge = ["--regions", "merge"]
    any_rule = json.loads(run([cli, "stats", db, "--by", "year", "--json", *merge]))
    bilateral = json.loads(run([cli, "stats", db, "--by", "year", "--json", *merge,
                                "--pair-rule", "bilateral"]))

    def us_cn(group):
        return next((p["papers"] for p in group["pairs"] if (p["a"], p["b"]) == ("CN", "US")), 0)

    expected_rows = {}
    for g, h in zip(any_rule["groups"], bilateral["groups"]):
        expected_rows[g["key"]] = (g["papers"], us_cn(g), us_cn(h),
                                   100.0 * us_cn(g) / g["papers"])
    table = section(out, "year")
    rows = {}
    for line in table:
        f = line.split()
        if f[0] != "all":
            rows[f[0]] = (int(f[1]), int(f[3]), int(f[5]), float(f[4].rstrip("%")))
    if set(rows) != set(expected_rows):
        failures.append(f"years {sorted(rows)} != {sorted(expected_rows)}")
    for year, exp in expected_rows.items():
        got = rows.get(year)
        if got is None or got[:3] != exp[:3] or abs(got[3] - exp[3]) > 0.006:
            failures.append(f"{year}: example {got}, CLI {exp}")
    if len(files) != len(rows):
        failures.append(f"{len(files)} files but {len(rows)} years")

    # 2. and 4. Institutions and the tag cross-tab against pairs --detail US,CN.
    detail = json.loads(run([cli, "pairs", db, "--detail", "US,CN", "--top", "15", "--json",
                             *merge]))
    institutions = [re.match(r"\s*(\d+)\s+(.*) \((\w+|\?)\)$", line).groups()
                    for line in section(out, "The 15 institutions")[1:]]
    expected_insts = [(str(c["papers"]), c["name"], c["code"] or "?")
                      for c in detail["institutions"]]
    if institutions != expected_insts or len(institutions) != 15:
        failures.append(f"institutions: {institutions[:3]}... != {expected_insts[:3]}...")
    tags = [line.split() for line in section(out, "Papers per tag")[1:]]
    expected_tags = [[t["tag"], str(t["only_a"]), str(t["only_b"]), str(t["both"]),
                      str(t["other"])] for t in detail["tags"]]
    if tags != expected_tags or len(tags) < 5:
        failures.append(f"tag cross-tab: {tags[:2]}... != {expected_tags[:2]}...")

    # 3. The top 10 pairs against pairs --top 10.
    pairs = json.loads(run([cli, "pairs", db, "--top", "10", "--json", *merge]))["pairs"]
    got_pairs = [line.split()[:2] for line in section(out, "The 10 country pairs")[1:]]
    if got_pairs != [[f"{p['a']}-{p['b']}", str(p["papers"])] for p in pairs]:
        failures.append(f"pairs: {got_pairs} != {pairs}")

    # The chart: well-formed SVG, one point per year and series, shares as in the table.
    root = ET.parse(svg).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    points = root.findall(".//s:circle[@class='point']", ns)
    if len(points) != 2 * len(expected_rows):
        failures.append(f"chart: {len(points)} points for {len(expected_rows)} years x 2 series")
    for p in points:
        year, share = p.get("data-year"), float(p.get("data-share"))
        exp = expected_rows[year]
        want = exp[3] if "default" in p.get("data-series") else 100.0 * exp[2] / exp[0]
        if abs(share - want) > 1e-5:
            failures.append(f"chart point {p.get('data-series')} {year}: {share} != {want}")
    if "regions=merge" not in (root.find("s:desc", ns).text or ""):
        failures.append("chart: its description does not list the rules")

    if failures:
        print(out)
        print("\n".join(failures[:30]))
        sys.exit(f"{len(failures)} mismatch(es)")
    total = next(line for line in table if line.startswith("all")).split()
    print(f"{len(rows)} years, {total[1]} papers, {total[3]} US-CN papers ({total[4]}), "
          f"{total[5]} bilateral: example equals the CLI; chart has {len(points)} points")


if __name__ == "__main__":
    main()
