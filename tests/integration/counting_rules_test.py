#!/usr/bin/env python3
"""Integration test of the counting rules (docs/methodology.md) on real data, against
independent code written here from the documented rules, not calling CollabGraph:

* every record of every paper list whose author, institution and country fields line up
  one-to-one (about 29,700 of 48,100) is copied into the work directory and ingested;
* per venue, the statistics under each rule variant must equal the independent count:
  full and fractional counting per country, full and fractional pair counts, Salton, Jaccard,
  association strength, affinity index both ways and the probabilistic affinity index, with
  --pair-rule any and bilateral, --attribution all, first and last, and --regions source,
  merge and split (split needs the region rule: web site or e-mail domain ending in .hk/.mo/.tw,
  a university of the list in those regions, or a region or city named in the institution);
* the OpenAlex sample (institutions with ISO codes) the same way under every regions view.

usage: counting_rules_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import collections
import glob
import gzip
import json
import math
import os
import re
import shutil
import sys
import unicodedata

from testlib import run

SAME_COUNTRY = {"Czech Republic": "Czechia", "Russian Federation": "Russia"}
REGION_WORDS = [("hong kong", "HK"), ("hongkong", "HK"), ("kowloon", "HK"), ("macau", "MO"),
                ("macao", "MO"), ("taiwan", "TW"), ("taipei", "TW"), ("hsinchu", "TW"),
                ("tainan", "TW"), ("taichung", "TW"), ("taoyuan", "TW"),
                ("academia sinica", "TW")]
REGION_NAMES = {"HK": "Hong Kong", "MO": "Macao", "TW": "Taiwan"}


def key(name):
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def split_authors(text):
    pieces = text.split(";") if ";" in text else text.split(",")
    return [p.strip() for p in pieces]


def host(url):
    url = url.strip()
    url = url.split("://", 1)[-1].split("@")[-1]
    return re.split(r"[/?#:]", url, maxsplit=1)[0].lower().rstrip(".")


def clean_record(r):
    """The record's authorships as lists of (institution name, country label, url, domain), or
    None when its fields do not line up one-to-one (those records are not copied)."""
    status = (r.get("status") or "").lower()
    if "reject" in status or "withdr" in status:
        return None
    if not str(r.get("id") or "").strip():
        return None
    authors = split_authors(r.get("author") or "")
    if not authors or any(not a for a in authors):
        return None
    names = (r.get("aff_unique_norm") or "").split(";")
    urls = (r.get("aff_unique_url") or "").split(";")
    labels = (r.get("aff_country_unique") or "").split(";")
    inst_index = (r.get("aff_unique_index") or "").split(";")
    country_index = (r.get("aff_country_unique_index") or "").split(";")
    if not r.get("aff_country_unique") or len(inst_index) != len(authors) or \
            len(country_index) != len(authors):
        return None
    if len({key(n) for n in names}) != len(names) or any(not n.isascii() for n in names):
        return None
    domains = (r.get("aff_domain") or "").split(";")
    if len(domains) != len(authors):
        domains = [""] * len(authors)
    authorships = []
    for i, (ii, ci) in enumerate(zip(inst_index, country_index)):
        ii = [] if ii == "" else ii.split("+")
        ci = [] if ci == "" else ci.split("+")
        if len(ii) != len(ci):
            return None
        insts = []
        for a, b in zip(ii, ci):
            if not a.isdigit() or not b.isdigit() or int(a) >= len(names) or \
                    int(b) >= len(labels):
                return None
            name, label = names[int(a)].strip(), labels[int(b)].strip()
            if not name or label in ("", "Unknown"):
                return None
            url = urls[int(a)] if len(urls) == len(names) else ""
            inst = (name, SAME_COUNTRY.get(label, label), url,
                    domains[i] if len(ii) == 1 else "")
            # An institution listed twice for one author ("0+0") is one affiliation.
            if all(inst[:2] != other[:2] for other in insts):
                insts.append(inst)
        authorships.append(insts)
    return authorships


def region_of(name, where, universities):
    h = host(where)
    for suffix, code in ((".hk", "HK"), (".mo", "MO"), (".tw", "TW")):
        if h.endswith(suffix):
            return code
    if universities.get(key(name)) in REGION_NAMES:
        return universities[key(name)]
    for word, code in REGION_WORDS:
        if word in key(name):
            return code
    return None


def paper_country_entries(authorships, attribution):
    """[(share, country)] for the authorships that count: each authorship weighs 1/k, split
    over its institutions."""
    if attribution == "first":
        authorships = authorships[:1]
    elif attribution == "last":
        authorships = authorships[-1:]
    out = []
    for insts in authorships:
        for _, country in insts:
            out.append((1.0 / len(authorships) / len(insts), country))
    return out


def expected_stats(papers, attribution="all", pair_rule="any"):
    """papers: {group: [authorships as lists of (institution, country or None)]}. Returns
    {group: {countries: {name: (papers, fractional)}, pairs: {(a, b): fields}}}."""
    result = {}
    for group, plist in papers.items():
        n_papers = collections.Counter()
        frac = collections.defaultdict(float)
        pair_papers = collections.Counter()
        pair_frac = collections.defaultdict(float)
        with_country = 0
        for authorships in plist:
            entries = [(s, c) for s, c in paper_country_entries(authorships, attribution)]
            countries = sorted({c for _, c in entries if c is not None})
            for s, c in entries:
                if c is not None:
                    frac[c] += s
            if not countries:
                continue
            with_country += 1
            n_papers.update(countries)
            k = len(countries)
            if k < 2 or (pair_rule == "bilateral" and k != 2):
                continue
            for i in range(k):
                for j in range(i + 1, k):
                    pair_papers[(countries[i], countries[j])] += 1
                    pair_frac[(countries[i], countries[j])] += 2.0 / (k * (k - 1))
        links = collections.Counter()
        for (a, b), c in pair_papers.items():
            links[a] += c
            links[b] += c
        total_links = sum(links.values())
        pairs = {}
        for (a, b), c in pair_papers.items():
            na, nb = n_papers[a], n_papers[b]
            pairs[(a, b)] = {
                "papers": c, "fractional": pair_frac[(a, b)],
                "salton": c / math.sqrt(na * nb), "jaccard": c / (na + nb - c),
                "association_strength": c * with_country / (na * nb),
                "affinity": {a: c / links[a], b: c / links[b]},
                "probabilistic_affinity": c * total_links / (links[a] * links[b])}
        result[group] = {"countries": {c: (n_papers[c], frac[c]) for c in n_papers},
                         "pairs": pairs, "with_country": with_country}
    return result


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def compare(label, got_json, expected, failures):
    """Compares `stats --json --by ...` output (names as country keys) with expected_stats()."""
    groups = {g["key"]: g for g in got_json["groups"]}
    if set(groups) != set(expected):
        failures.append(f"{label}: groups {sorted(groups)} != {sorted(expected)}")
        return 0
    checked = 0
    for group, exp in expected.items():
        got = groups[group]
        code_name = {c["code"]: c["name"] for c in got["countries"]}
        got_countries = {c["name"]: (c["papers"], c["fractional"]) for c in got["countries"]}
        if set(got_countries) != set(exp["countries"]):
            failures.append(f"{label} {group}: countries {sorted(got_countries)} != "
                            f"{sorted(exp['countries'])}")
            continue
        if got["papers_with_country"] != exp["with_country"]:
            failures.append(f"{label} {group}: papers_with_country {got['papers_with_country']}"
                            f" != {exp['with_country']}")
        for name, (n, f) in exp["countries"].items():
            if got_countries[name][0] != n or not close(got_countries[name][1], f):
                failures.append(f"{label} {group} {name}: {got_countries[name]} != {(n, f)}")
            checked += 2
        got_pairs = {tuple(sorted((code_name[p["a"]], code_name[p["b"]]))): p
                     for p in got["pairs"]}
        if set(got_pairs) != set(exp["pairs"]):
            failures.append(f"{label} {group}: {len(got_pairs)} pairs != {len(exp['pairs'])}")
            continue
        for pair, e in exp["pairs"].items():
            g = got_pairs[pair]
            values = [("papers", g["papers"], e["papers"])]
            for field in ("fractional", "salton", "jaccard", "association_strength",
                          "probabilistic_affinity"):
                values.append((field, g[field], e[field]))
            values.append(("affinity_a", g["affinity_a"], e["affinity"][code_name[g["a"]]]))
            values.append(("affinity_b", g["affinity_b"], e["affinity"][code_name[g["b"]]]))
            for field, a, b in values:
                if not close(a, b):
                    failures.append(f"{label} {group} {pair} {field}: collabgraph {a}, "
                                    f"independent {b}")
                checked += 1
    return checked


def paperlists_part(binary, data_dir, work, failures):
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "*", "*.json.gz")))
    if len(files) < 100:
        sys.exit(f"expected the paper lists under {data_dir}/paperlists, found {len(files)}")
    universities_path = os.path.join(data_dir, "reference",
                                     "world_universities_and_domains.json.gz")
    universities = {}
    for u in json.load(gzip.open(universities_path, "rt", encoding="utf-8")):
        universities.setdefault(key(u.get("name") or ""), u.get("alpha_two_code"))

    clean_dir = os.path.join(work, "clean_lists")
    shutil.rmtree(clean_dir, ignore_errors=True)
    copies = []
    order = []  # (venue, authorships) of the copied records, in ingest order
    total = kept = 0
    for path in files:
        venue = os.path.basename(os.path.dirname(path))
        records = json.load(gzip.open(path, "rt", encoding="utf-8"))
        ids = collections.Counter(str(r.get("id") or "").strip() for r in records)
        out = []
        for r in records:
            total += 1
            if ids[str(r.get("id") or "").strip()] != 1:
                continue
            authorships = clean_record(r)
            if authorships is None:
                continue
            out.append(r)
            order.append((venue, authorships))
        kept += len(out)
        copy = os.path.join(clean_dir, venue, os.path.basename(path)[:-3])
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        with open(copy, "w", encoding="utf-8") as f:
            json.dump(out, f)
        copies.append(copy)
    if kept < 25000:
        sys.exit(f"only {kept} of {total} records line up; expected at least 25,000")

    db = os.path.join(work, "counting_rules.db")
    shutil.rmtree(db, ignore_errors=True)
    run([binary, "ingest", db, *copies, "--no-resolve", "--universities", universities_path])

    # Regions: the region of an institution (name, country) is decided where it first appears.
    region = {}
    for _, authorships in order:
        for insts in authorships:
            for name, country, url, domain in insts:
                if country == "China" and (key(name), country) not in region:
                    region[(key(name), country)] = region_of(name, url or domain, universities)

    def view(regions):
        papers = collections.defaultdict(list)
        for venue, authorships in order:
            out = []
            for insts in authorships:
                row = []
                for name, country, _, _ in insts:
                    if regions == "split" and country == "China" and region[(key(name), country)]:
                        country = REGION_NAMES[region[(key(name), country)]]
                    row.append((name, country))
                out.append(row)
            papers[venue].append(out)
        return papers

    checked = 0
    source = view("source")
    for args, attribution, pair_rule, papers in [
            ([], "all", "any", source),
            (["--pair-rule", "bilateral"], "all", "bilateral", source),
            (["--attribution", "first"], "first", "any", source),
            (["--attribution", "last"], "last", "any", source),
            (["--regions", "merge"], "all", "any", source),
            (["--regions", "split"], "all", "any", view("split")),
            (["--regions", "split", "--attribution", "last", "--pair-rule", "bilateral"],
             "last", "bilateral", view("split"))]:
        got = json.loads(run([binary, "stats", db, "--by", "venue", "--json", *args]))
        checked += compare("paper lists " + " ".join(args or ["(defaults)"]), got,
                           expected_stats(papers, attribution, pair_rule), failures)
    # --by tag: each tag's group equals the papers the --tag filter selects.
    by_tag = {g["key"]: g for g in
              json.loads(run([binary, "stats", db, "--by", "tag", "--json"]))["groups"]}
    tags = [t for t in by_tag if t != "(no tag)"]
    if len(tags) < 5:
        failures.append(f"--by tag: only {len(tags)} tags")
    for tag in tags:
        alone = json.loads(run([binary, "stats", db, "--tag", tag, "--json"]))
        for field in ("papers", "papers_with_country", "international_papers", "countries",
                      "pairs"):
            if alone[field] != by_tag[tag][field]:
                failures.append(f"--by tag: group {tag} differs from --tag {tag} in {field}")
    split_regions = collections.Counter(v for v in region.values() if v)
    print(f"paper lists: {kept} of {total} records line up; {checked} values compared under 7 "
          f"rule variants; regions found for {dict(split_regions)} of {len(region)} "
          f"institutions in China")
    if sum(split_regions.values()) < 50:
        failures.append(f"only {sum(split_regions.values())} institutions in HK/MO/TW: the "
                        "split view is not exercised")


def openalex_part(binary, data_dir, work, failures):
    path = os.path.join(data_dir, "openalex", "works_sample.jsonl.gz")
    if not os.path.exists(path):
        failures.append(f"missing {path}")
        return
    names = {}
    db = os.path.join(work, "counting_rules_openalex.db")
    shutil.rmtree(db, ignore_errors=True)
    run([binary, "ingest", db, path])
    seen = set()
    works = []
    for line in gzip.open(path, "rt", encoding="utf-8"):
        w = json.loads(line)
        if w["id"] in seen:
            continue
        seen.add(w["id"])
        authorships = []
        for a in w.get("authorships") or []:
            insts = {}
            for inst in a.get("institutions") or []:
                insts.setdefault(inst.get("id") or inst.get("display_name"),
                                 inst.get("country_code"))
            authorships.append(list(insts.items()))
        works.append(authorships)
    # Names of the codes as CollabGraph prints them, read from its own country list.
    for c in json.loads(run([binary, "stats", db, "--json"]))["countries"]:
        names[c["code"]] = c["name"]
    checked = 0
    for regions in ("source", "merge", "split"):
        papers = {"all": []}
        for authorships in works:
            out = []
            for insts in authorships:
                row = []
                for inst, code in insts:
                    if regions == "merge" and code in REGION_NAMES:
                        code = "CN"
                    row.append((inst, names.get(code) if code else None))
                out.append(row)
            papers["all"].append(out)
        got = json.loads(run([binary, "stats", db, "--json", "--regions", regions]))
        got["groups"] = [dict(got, key="all")]
        for attribution in ("all", "first"):
            if attribution == "first":
                got = json.loads(run([binary, "stats", db, "--json", "--regions", regions,
                                      "--attribution", "first"]))
                got["groups"] = [dict(got, key="all")]
            checked += compare(f"openalex --regions {regions} --attribution {attribution}",
                               got, expected_stats(papers, attribution), failures)
    print(f"openalex: {len(works)} works; {checked} values compared under 6 rule variants")


def main():
    binary, data_dir, work = sys.argv[1], sys.argv[2], sys.argv[3]
    if not os.path.isdir(os.path.join(data_dir, "paperlists")):
        print(f"no paper lists under {data_dir}; skipping (set COLLABGRAPH_DATA)")
        sys.exit(77)
    failures = []
    paperlists_part(binary, data_dir, work, failures)
    openalex_part(binary, data_dir, work, failures)
    if failures:
        print("\n".join(failures[:40]))
        sys.exit(f"{len(failures)} mismatch(es)")
    print("every count and index equals the independent computation")


if __name__ == "__main__":
    main()
