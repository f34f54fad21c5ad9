#!/usr/bin/env python3
"""Integration test: exact betweenness (unweighted, --weighted full, --weighted fractional),
group betweenness (--metric bridge) and brokerage of `collabgraph centrality` on the author
and institution graphs of NeurIPS 2016 equal NetworkX (and a direct count for brokerage), to
1e-9 relative; sampled betweenness stays within its stated bound and does not depend on
--threads; misplaced options and unknown countries are usage errors.

The script writes the papers as the seven CSV tables of docs/methodology.md with its own
identities (an author per distinct name string, an institution per aff_unique_norm entry,
named "Author 17", "Institution 5" so that CollabGraph's name matching cannot merge them),
ingests them, and builds the same graphs itself. So the test checks the graph algorithms on
a real co-authorship graph, independently of the paper-list reading rules. Needs
python3-networkx.

usage: betweenness_networkx_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import collections
import csv
import fractions
import gzip
import itertools
import json
import os
import shutil
import subprocess
import sys

from testlib import run

try:
    import networkx as nx
except ImportError:
    sys.exit("python3-networkx is missing: run scripts/install-deps.sh")

US = {"United States", "USA", "United States of America"}
CN = {"China"}


def split_authors(s):
    """The paper-list author split of CollabGraph: ';' when present, else ','."""
    sep = ";" if ";" in s else ","
    out = []
    for piece in s.split(sep):
        piece = piece.strip().rstrip(", ")
        if piece:
            out.append(piece)
    return out


def read_papers(path):
    """[(authors, [[(institution, country or None), ...] per author])] of accepted papers."""
    papers, seen = [], set()
    for r in json.load(gzip.open(path, "rt", encoding="utf-8")):
        if r["id"] in seen or "reject" in (r.get("status") or "").lower():
            continue
        seen.add(r["id"])
        authors = split_authors(r.get("author") or "")
        if not authors:
            continue
        inst_idx = (r.get("aff_unique_index") or "").split(";")
        ctry_idx = (r.get("aff_country_unique_index") or "").split(";")
        norms = (r.get("aff_unique_norm") or "").split(";")
        countries = (r.get("aff_country_unique") or "").split(";")
        affs = [[] for _ in authors]
        if len(inst_idx) == len(authors):
            for i, entry in enumerate(inst_idx):
                ks = [k for k in entry.split("+") if k.strip().isdigit()]
                cs = ctry_idx[i].split("+") if len(ctry_idx) == len(authors) else []
                for j, k in enumerate(ks):
                    name = norms[int(k)].strip() if int(k) < len(norms) else ""
                    if not name:
                        continue
                    country = None
                    if len(cs) == len(ks) and cs[j].strip().isdigit() and \
                            int(cs[j]) < len(countries):
                        country = countries[int(cs[j])].strip() or None
                    affs[i].append((name, country))
        papers.append((authors, affs))
    return papers


def write_tables(papers, out):
    os.makedirs(out, exist_ok=True)
    author_id, inst_id, country_id, inst_country = {}, {}, {}, {}
    authored, affiliated = [], []
    for p, (authors, affs) in enumerate(papers):
        position = 0
        done = set()
        for name, insts in zip(authors, affs):
            a = author_id.setdefault(name, len(author_id))
            if a in done:
                continue
            done.add(a)
            authored.append((a, p, position))
            position += 1
            for inst, country in dict.fromkeys(insts):
                i = inst_id.setdefault(inst, len(inst_id))
                if (a, p, i) not in affiliated:
                    affiliated.append((a, p, i))
                if country and country != "Unknown" and i not in inst_country:
                    inst_country[i] = country_id.setdefault(country, len(country_id))
    affiliated = list(dict.fromkeys(affiliated))

    def write(name, header, rows):
        with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)

    write("papers.csv", ["id", "title", "venue", "year"],
          [(p, f"Paper {p}", "nips", 2016) for p in range(len(papers))])
    write("authors.csv", ["id", "name"], [(a, f"Author {a}") for a in author_id.values()])
    write("institutions.csv", ["id", "name"], [(i, f"Institution {i}") for i in inst_id.values()])
    write("countries.csv", ["id", "name"], [(c, n) for n, c in country_id.items()])
    write("authored.csv", ["author", "paper", "position"], authored)
    write("affiliated.csv", ["author", "paper", "institution"], affiliated)
    write("located_in.csv", ["institution", "country"], sorted(inst_country.items()))
    name_of_country = {c: n for n, c in country_id.items()}
    countries = {i: name_of_country[c] for i, c in inst_country.items()}
    # Members of each paper: authors, institutions (with their countries).
    members = collections.defaultdict(lambda: {"author": set(), "institution": set()})
    for a, p, _ in authored:
        members[p]["author"].add(f"Author {a}")
    for a, p, i in affiliated:
        members[p]["institution"].add(f"Institution {i}")
    return [members[p] for p in range(len(papers))], {f"Institution {i}": c for i, c in countries.items()}


def graph(paper_members, kind):
    g = nx.Graph()
    for m in paper_members:
        s = sorted(m[kind])
        g.add_nodes_from(s)
        for u, v in itertools.combinations(s, 2):
            if not g.has_edge(u, v):
                g.add_edge(u, v, full=0, fractional=fractions.Fraction(0))
            g[u][v]["full"] += 1
            g[u][v]["fractional"] += fractions.Fraction(1, len(s) - 1)
    # Exact rational lengths: NetworkX compares path lengths with ==, and float sums of
    # 1/weight in different orders (1/10 + 1/5 against 3/10) would hide ties.
    for _, _, d in g.edges(data=True):
        d["len_full"] = fractions.Fraction(1, d["full"])
        d["len_fractional"] = 1 / d["fractional"]
    return g


def compare(label, got, expected):
    assert set(got) == set(expected), (label, len(set(got) ^ set(expected)))
    worst = max((abs(got[k] - v) / max(1.0, abs(v)) for k, v in expected.items()), default=0)
    top = max(expected, key=expected.get) if expected else "-"
    print(f"{label:44s} {len(expected):5d} nodes; largest relative difference {worst:.1e}; "
          f"top {top} {expected.get(top, 0):.6g}")
    if worst > 1e-9:
        sys.exit(f"{label}: largest relative difference from the reference {worst}")


def main():
    binary, data_dir, work = sys.argv[1:4]
    path = os.path.join(data_dir, "paperlists", "nips", "nips2016.json.gz")
    if not os.path.exists(path):
        print(f"no {path}; skipping")
        sys.exit(77)
    tables = os.path.join(work, "betweenness-tables")
    db = os.path.join(work, "betweenness.db")
    shutil.rmtree(tables, ignore_errors=True)
    shutil.rmtree(db, ignore_errors=True)
    paper_members, inst_country = write_tables(read_papers(path), tables)
    run([binary, "ingest", db, tables, "--format", "csv", "--no-tags"])

    def cli(kind, metric, *extra):
        out = json.loads(run([binary, "centrality", db, "--graph", kind, "--metric", metric,
                              "--top", "0", "--json", *extra]))
        return out, {r["name"]: r for r in out["results"]}

    for kind in ("author", "institution"):
        g = graph(paper_members, kind)
        for weighted in ("", "full", "fractional"):
            extra = ["--weighted", weighted] if weighted else []
            out, rows = cli(kind, "betweenness", *extra, "--threads", "3")
            assert out["nodes"] == g.number_of_nodes(), (out["nodes"], g.number_of_nodes())
            assert out["edges"] == g.number_of_edges(), (out["edges"], g.number_of_edges())
            expected = nx.betweenness_centrality(
                g, normalized=True, weight=f"len_{weighted}" if weighted else None)
            compare(f"{kind} betweenness {weighted or 'unweighted'}",
                    {k: r["value"] for k, r in rows.items()},
                    {k: float(v) for k, v in expected.items()})

        # Groups: an institution's country; an author's, every country of their institutions.
        country_sets = collections.defaultdict(set)
        if kind == "institution":
            for inst, c in inst_country.items():
                country_sets[inst].add(c)
        else:
            # Author countries need the authorships: rebuild from the CSV tables.
            with open(os.path.join(tables, "affiliated.csv"), encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    c = inst_country.get(f"Institution {row['institution']}")
                    if c:
                        country_sets[f"Author {row['author']}"].add(c)
        a = [v for v in g if country_sets[v] & US]
        b = [v for v in g if country_sets[v] & CN]
        assert a and b, (kind, len(a), len(b))
        _, rows = cli(kind, "bridge", "--between", "US,China")
        # NetworkX halves subset betweenness of undirected graphs; ours sums over all (s, t).
        expected = {k: 2 * v for k, v in
                    nx.betweenness_centrality_subset(g, a, b, normalized=False).items()}
        compare(f"{kind} bridge US->CN ({len(a)} x {len(b)})",
                {k: r["value"] for k, r in rows.items()}, expected)

    # Brokerage of institutions: papers with both a US and a CN institution, counted here.
    both, per_inst = 0, collections.Counter()
    for m in paper_members:
        cs = set()
        for inst in m["institution"]:
            cs.add(inst_country.get(inst))
        if cs & US and cs & CN:
            both += 1
            per_inst.update(m["institution"])
    out, rows = cli("institution", "brokerage", "--between", "United States,CN")
    assert dict(out["rules"])["papers_with_both"] == str(both), (out["rules"], both)
    compare(f"institution brokerage US-CN ({both} papers)",
            {k: r["value"] for k, r in rows.items()},
            {k: float(per_inst.get(k, 0)) for k in rows})
    for k, r in rows.items():
        assert abs(r["share"] - per_inst.get(k, 0) / both) < 1e-12, (k, r)

    # Sampling: the stated bound holds, every thread count gives the same bits.
    _, exact = cli("author", "betweenness")
    out, sampled = cli("author", "betweenness", "--samples", "200", "--seed", "9", "--threads", "1")
    epsilon = float(out["rules"]["error_bound"].split(":")[0])
    worst = max(abs(sampled[k]["value"] - exact[k]["value"]) for k in exact)
    print(f"author betweenness, 200 sampled sources: largest error {worst:.4f}, bound {epsilon:.4f}")
    assert 0 < worst <= epsilon, (worst, epsilon)
    _, again = cli("author", "betweenness", "--samples", "200", "--seed", "9", "--threads", "2")
    assert again == sampled

    # Options that do not apply, and unknown countries, are usage errors.
    for bad in (["--metric", "degree", "--samples", "5"],
                ["--metric", "betweenness", "--between", "US,CN"],
                ["--metric", "bridge"],
                ["--metric", "bridge", "--between", "US,Atlantis"],
                ["--metric", "betweenness", "--weighted", "heavy"]):
        p = subprocess.run([binary, "centrality", db, "--graph", "author", *bad],
                           capture_output=True, text=True)
        assert p.returncode == 1 and p.stderr.startswith("collabgraph: "), (bad, p.returncode,
                                                                          p.stderr[:200])


if __name__ == "__main__":
    main()
