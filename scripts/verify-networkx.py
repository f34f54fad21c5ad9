#!/usr/bin/python3
"""Checks every metric of `collabgraph centrality` against NetworkX on real projections.

This script builds the country, institution and author collaboration graphs itself, straight
from the Paper Copilot JSON lists and with its own code (nothing shared with the library), by
the rules of docs/methodology.md ("Which papers count", "Reading paper lists", "Projections"),
and compares, per graph and metric, the values that `collabgraph centrality --json --top 0`
prints with NetworkX's:

  betweenness, degree, pagerank, harmonic, closeness, core, clustering, eigenvector
      value per node; largest relative difference |ours - nx| / max(1, |nx|)
  strength (full and fractional weights)
      the same, against G.degree(weight=...)
  components
      our partition must equal nx.connected_components, with ids largest first (ties by the
      smallest node id); reported difference 0 or 1, plus our modularity against
      networkx.community.modularity of the same partition
  louvain
      our reported modularity against networkx.community.modularity of our partition (weight
      "full"); networkx's own louvain_communities(seed=0) modularity is printed beside it

It exits 1 when a difference exceeds 1e-9 (docs/methodology.md, "Checking against NetworkX",
states the tolerances), 77 when the data directory is missing.

usage: verify-networkx.py COLLABGRAPH [--data DIR] [--work DIR] [--quick]
  --quick   the short version run by ctest: NeurIPS country graph, icml2016 institution
            graph, nips2016 author graph (under a minute in a release build)
  default   country graph of all 142 files, institution graph of ICML 2016-2018, author graph
            of NeurIPS 2021 (a few minutes, mostly NetworkX's betweenness)

The independent side keys institutions and authors by their normalised name. The library
keys an institution by name and country, and can add "Unattributed (<country>)" institutions
(methodology, "Countries", rule 4); the script checks that the chosen selections have
neither, by comparing the vertex sets, and fails when they differ.
"""
import argparse
import collections
import glob
import gzip
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata

try:
    import networkx as nx
except ImportError:
    sys.exit("networkx is missing: use /usr/bin/python3 (Debian's python3-networkx)")

SAME_COUNTRY = {"Czech Republic": "Czechia", "Russian Federation": "Russia"}
TOLERANCE = 1e-9
METRICS = ["betweenness", "degree", "pagerank", "harmonic", "closeness", "core", "clustering",
           "eigenvector", "strength", "components", "louvain"]


# ---- independent reading of the paper lists -------------------------------------------------

# Latin letters of U+00C0..U+017F that Unicode does not decompose into an ASCII base letter.
NO_DECOMPOSITION = {"æ": "ae", "ð": "d", "ø": "o", "þ": "th", "ß": "ss", "đ": "d", "ħ": "h",
                    "ı": "i", "ĳ": "i", "ĸ": "k", "ŀ": "l", "ł": "l", "ŉ": "n", "ŋ": "n",
                    "œ": "o", "ſ": "s"}


def norm_key(s):
    """Name key (methodology, "Authors"): Latin letters with diacritics folded to ASCII, lower
    case, every run of ASCII punctuation or space -> one space; other characters kept."""
    out = []
    for ch in s:
        if ch.isascii():
            out.append(ch.lower() if ch.isalnum() else " ")
        elif "\u00c0" <= ch <= "\u017f" and ch not in "×÷":
            low = ch.lower()
            base = "".join(c for c in unicodedata.normalize("NFKD", low) if c.isascii())
            out.append(base or NO_DECOMPOSITION.get(low, low))
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def norm_title(title):
    return " ".join(re.findall(r"[0-9a-z]+", (title or "").lower()))


def split_trimmed(s, sep):
    return [p.strip() for p in s.split(sep)] if s else []


def split_authors(s):
    sep = ";" if ";" in s else ","
    return [p.strip().rstrip(", ") for p in s.split(sep)]


def papers(path):
    """The counted records of one file: duplicates merged into the first, rejected dropped."""
    first = {}
    for r in json.load(gzip.open(path, "rt", encoding="utf-8")):
        rid = str(r.get("id") or "").strip() or "title:" + norm_title(r.get("title"))
        if rid not in first:
            first[rid] = dict(r)
            continue
        kept = first[rid]
        for k, v in r.items():
            if kept.get(k) in (None, "") and v not in (None, ""):
                kept[k] = v
    for r in first.values():
        status = (r.get("status") or "").lower()
        if "reject" not in status and "withdr" not in status:
            yield r


def index_list(s):
    out = []
    for entry in split_trimmed(s, ";"):
        out.append([int(p) for p in split_trimmed(entry, "+") if p.isdigit()])
    return out


def align(inst, country):
    """Author entry -> country entry: position by position when the counts are equal, else the
    entries on which the leftmost and rightmost embeddings of the country list (as a
    subsequence of entries with as many institutions) agree (methodology, "Countries", 1)."""
    if len(inst) == len(country):
        return list(range(len(inst)))
    match = [-1] * len(inst)
    if len(country) > len(inst):
        return match
    left, right = [-1] * len(inst), [-1] * len(inst)
    i = 0
    for j, c in enumerate(country):
        while i < len(inst) and len(inst[i]) != len(c):
            i += 1
        if i == len(inst):
            return match
        left[i] = j
        i += 1
    k = len(inst)
    for j in range(len(country) - 1, -1, -1):
        while k > 0 and len(inst[k - 1]) != len(country[j]):
            k -= 1
        if k == 0:
            return match
        k -= 1
        right[k] = j
    for a in range(len(inst)):
        if left[a] >= 0 and right[a] >= 0 and country[left[a]] == country[right[a]]:
            match[a] = left[a]
    return match


def institutions_per_author(r, n_authors, code_of):
    """Per author, the (name, country code) of each institution, by the rules of
    docs/methodology.md ("Institutions", "Countries" 1-4)."""
    norm, idx = r.get("aff_unique_norm"), r.get("aff_unique_index")
    normalised = norm is not None and idx is not None and idx.strip() != ""
    if normalised:
        names, inst_idx = split_trimmed(norm, ";"), index_list(idx)
    else:
        entries = split_trimmed(r.get("aff") or "", ";")
        if all(not e for e in entries):
            entries = []
        names, inst_idx = [], []
        for e in entries:
            ks = []
            for name in split_trimmed(e, "+"):
                if name:
                    if name not in names:
                        names.append(name)
                    ks.append(names.index(name))
            inst_idx.append(ks)
        if entries and len(entries) < n_authors:  # the paper's affiliations: everyone gets all
            inst_idx = [list(range(len(names)))] * n_authors
    labels = split_trimmed(r.get("aff_country_unique") or "", ";")
    codes = [code_of(label) for label in labels]
    country_idx = index_list(r.get("aff_country_unique_index") or "")
    parallel = normalised and len(labels) == len(names)
    match = align(inst_idx, country_idx)
    valid_inst = lambda k: k < len(names) and names[k] != ""
    valid_country = lambda c: c < len(codes) and codes[c] is not None
    inst_countries = collections.defaultdict(set)
    for i, ks in enumerate(inst_idx):
        if match[i] >= 0 and len(country_idx[match[i]]) == len(ks):
            for k, c in zip(ks, country_idx[match[i]]):
                if valid_inst(k) and valid_country(c):
                    inst_countries[k].add(c)
    attributed = set()
    chosen = [[] for _ in range(n_authors)]
    for i in range(min(len(inst_idx), n_authors)):
        aligned = match[i] >= 0 and len(country_idx[match[i]]) == len(inst_idx[i])
        for j, k in enumerate(inst_idx[i]):
            if not valid_inst(k):
                continue
            c = -1
            if aligned and valid_country(country_idx[match[i]][j]):
                c = country_idx[match[i]][j]
            elif len(inst_countries[k]) == 1:
                c = next(iter(inst_countries[k]))
            elif parallel and valid_country(k):
                c = k
            chosen[i].append([k, c])
            if c >= 0:
                attributed.add(codes[c])
    leftover = []
    for c, code in enumerate(codes):
        if code is not None and code not in attributed:
            attributed.add(code)
            leftover.append(c)
    out = [[] for _ in range(n_authors)]
    if leftover:
        countryless = {k for entries in chosen for k, c in entries
                       if c < 0 and not inst_countries[k]}
        if len(leftover) == 1 and len(countryless) == 1:
            for entries in chosen:
                for e in entries:
                    if e[0] in countryless:
                        e[1] = leftover[0]
        else:
            carriers = [i for i in range(n_authors) if all(c < 0 for _, c in chosen[i])]
            if not carriers and n_authors > 0:
                carriers = [0]
            for c in leftover:
                for i in carriers:
                    out[i].append((f"Unattributed ({code_of.name(codes[c])})", codes[c]))
    for i in range(n_authors):
        out[i] += [(names[k], codes[c] if c >= 0 else None) for k, c in chosen[i]]
    return out


def members(r, kind, code_of):
    """The distinct members (keys) of a paper in the `kind` projection, with display names."""
    if kind == "country":
        labels = {SAME_COUNTRY.get(x.strip(), x.strip())
                  for x in (r.get("aff_country_unique") or "").split(";")} - {"", "Unknown"}
        return {label: label for label in labels}
    names = split_authors(r.get("author") or "")
    if kind == "author":
        return {norm_key(n): n for n in names if n}
    out = {}
    for name, insts in zip(names, institutions_per_author(r, len(names), code_of)):
        if name:
            for inst, code in insts:
                out.setdefault((norm_key(inst), code), inst)
    return out


def build_graph(files, kind, code_of):
    g = nx.Graph()
    for path in files:
        for r in papers(path):
            m = sorted(members(r, kind, code_of))
            g.add_nodes_from(m)
            if len(m) < 2:
                continue
            frac = 1.0 / (len(m) - 1)
            for a, b in itertools.combinations(m, 2):
                if g.has_edge(a, b):
                    g[a][b]["full"] += 1.0
                    g[a][b]["fractional"] += frac
                else:
                    g.add_edge(a, b, full=1.0, fractional=frac)
    return g


class CountryCodes:
    """Country label -> ISO code, from the names the database lists for its countries (the
    labels of the paper lists are those English names, up to SAME_COUNTRY)."""

    def __init__(self, country_graph):
        self.code = {r["name"]: r["code"] for r in country_graph["results"]}
        self.names = {c: n for n, c in self.code.items()}

    def __call__(self, label):
        label = SAME_COUNTRY.get(label, label)
        if label in ("", "Unknown"):
            return None
        if label not in self.code:
            sys.exit(f"country label {label!r} is not a country of the database")
        return self.code[label]

    def name(self, code):
        return self.names[code]


# ---- comparison -----------------------------------------------------------------------------

def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p.stdout


def worst_difference(ours, expected):
    return max((abs(ours[k] - v) / max(1.0, abs(v)) for k, v in expected.items()), default=0.0)


def check_graph(binary, db, label, kind, cli_filters, g, lines):
    """Compares every metric on one graph; returns the list of failures."""
    failures = []
    key_of = {"country": lambda r: r["name"], "author": lambda r: norm_key(r["name"]),
              "institution": lambda r: (norm_key(r["name"]), r.get("code"))}[kind]

    def centrality(metric, *extra):
        out = json.loads(run([binary, "centrality", db, "--graph", kind, "--metric", metric,
                              "--top", "0", "--json", *cli_filters, *extra]))
        if out["nodes"] != g.number_of_nodes() or out["edges"] != g.number_of_edges():
            failures.append(f"{label}: {metric}: collabgraph {out['nodes']} nodes/{out['edges']} "
                            f"edges, independent {g.number_of_nodes()}/{g.number_of_edges()}")
        by_key = {}
        for r in out["results"]:
            k = key_of(r)
            if k in by_key:
                failures.append(f"{label}: two nodes with the key {k!r}")
            by_key[k] = r
        if set(by_key) != set(g.nodes):
            only_ours = sorted(set(by_key) - set(g.nodes))[:5]
            only_nx = sorted(set(g.nodes) - set(by_key))[:5]
            failures.append(f"{label}: {metric}: vertex sets differ: only collabgraph {only_ours}, "
                            f"only independent {only_nx}")
        return out, by_key

    def report(metric, worst, note=""):
        lines.append(f"{label:34s} {metric:22s} {worst:9.1e}  {note}")
        if not worst <= TOLERANCE:
            failures.append(f"{label}: {metric}: largest relative difference {worst:.3e}")

    expected = {
        "betweenness": lambda: nx.betweenness_centrality(g),
        "degree": lambda: nx.degree_centrality(g),
        "pagerank": lambda: nx.pagerank(g, alpha=0.85, tol=1e-14, max_iter=100000, weight=None),
        "harmonic": lambda: nx.harmonic_centrality(g),
        "closeness": lambda: nx.closeness_centrality(g),
        "core": lambda: nx.core_number(g),
        "clustering": lambda: nx.clustering(g),
        "eigenvector": lambda: nx.eigenvector_centrality(g, max_iter=1000),
    }
    for metric, compute in expected.items():
        t0 = time.time()
        _, ours = centrality(metric)
        t1 = time.time()
        want = compute()
        t2 = time.time()
        note = f"ours {t1 - t0:5.2f} s, networkx {t2 - t1:6.2f} s"
        if metric == "eigenvector":
            tight = nx.eigenvector_centrality(g, max_iter=100000, tol=1e-15)
            note += (f"; both vs converged (tol 1e-15): ours "
                     f"{worst_difference({k: ours[k]['value'] for k in ours}, tight):.1e}")
        report(metric, worst_difference({k: r["value"] for k, r in ours.items()}, want), note)

    for weight in ["full", "fractional"]:
        _, ours = centrality("strength", "--weights", weight)
        want = dict(g.degree(weight=weight))
        report(f"strength ({weight})",
               worst_difference({k: r["value"] for k, r in ours.items()}, want))

    # Components: the same partition, numbered largest first, ties by the smallest node id.
    out, ours = centrality("components")
    comps = sorted(nx.connected_components(g),
                   key=lambda c: (-len(c), min(ours[k]["id"] for k in c)))
    same = (out["partition"]["groups"] == len(comps) and
            all(ours[k]["group"] == i for i, c in enumerate(comps) for k in c) and
            out["partition"]["sizes"] == [len(c) for c in comps])
    q_nx = nx.community.modularity(g, comps, weight=None) if g.number_of_edges() else 0.0
    report("components", 0.0 if same else 1.0,
           f"{len(comps)} components, largest {len(comps[0]) if comps else 0}")
    report("components modularity", abs(out["partition"]["modularity"] - q_nx),
           f"ours {out['partition']['modularity']:.12f}, nx {q_nx:.12f}")

    # Louvain: our modularity of our own partition against NetworkX's evaluation of it.
    t0 = time.time()
    out, ours = centrality("louvain", "--seed", "0")
    t1 = time.time()
    groups = collections.defaultdict(set)
    for k, r in ours.items():
        groups[r["group"]].add(k)
    q_ours = out["partition"]["modularity"]
    q_nx = (nx.community.modularity(g, list(groups.values()), weight="full")
            if g.number_of_edges() else 0.0)
    t2 = time.time()
    nx_louvain = nx.community.louvain_communities(g, weight="full", seed=0)
    q_nx_louvain = (nx.community.modularity(g, nx_louvain, weight="full")
                    if g.number_of_edges() else 0.0)
    t3 = time.time()
    report("louvain modularity", abs(q_ours - q_nx),
           f"{len(groups)} communities, Q {q_ours:.6f} (ours {t1 - t0:.2f} s); networkx louvain "
           f"{len(nx_louvain)} communities, Q {q_nx_louvain:.6f} ({t3 - t2:.2f} s)")
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--data", default=os.environ.get(
        "COLLABGRAPH_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")))
    ap.add_argument("--work", default="/tmp")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    root = os.path.join(args.data, "paperlists")
    files = sorted(glob.glob(os.path.join(root, "*", "*.json.gz")))
    if not files:
        print(f"no paper lists under {root}; skipping")
        sys.exit(77)

    def venue_files(venue, years):
        return [os.path.join(root, venue, f"{venue}{y}.json.gz") for y in years]

    if args.quick:
        country_files = sorted(glob.glob(os.path.join(root, "nips", "nips*.json.gz")))
        graphs = [("country: NeurIPS 1987-2021", "country", country_files, ["--venue", "nips"]),
                  ("institution: ICML 2016", "institution", venue_files("icml", [2016]),
                   ["--venue", "icml", "--years", "2016:2016"]),
                  ("author: NeurIPS 2016", "author", venue_files("nips", [2016]),
                   ["--venue", "nips", "--years", "2016:2016"])]
    else:
        graphs = [("country: all 142 files", "country", files, []),
                  ("institution: ICML 2016-2018", "institution",
                   venue_files("icml", [2016, 2017, 2018]),
                   ["--venue", "icml", "--years", "2016:2018"]),
                  ("author: NeurIPS 2021", "author", venue_files("nips", [2021]),
                   ["--venue", "nips", "--years", "2021:2021"])]
    ingest = sorted({f for _, _, fs, _ in graphs for f in fs})
    db = os.path.join(args.work, "verify-networkx.db")
    shutil.rmtree(db, ignore_errors=True)
    # --no-resolve: countries only as the source lists them, as the independent side reads them.
    run([args.binary, "ingest", "--bulk", "--no-resolve", db, *ingest])

    code_of = CountryCodes(json.loads(run([args.binary, "centrality", db, "--graph", "country",
                                           "--metric", "degree", "--top", "0", "--json"])))
    lines = [f"{'graph':34s} {'metric':22s} {'largest':>9s}  notes",
             f"{'':34s} {'':22s} {'rel.diff':>9s}"]
    failures = []
    for label, kind, gfiles, filters in graphs:
        g = build_graph(gfiles, kind, code_of)
        label = f"{label} ({g.number_of_nodes()} n, {g.number_of_edges()} e)"
        failures += check_graph(args.binary, db, label, kind, filters, g, lines)
        print("\n".join(lines), flush=True)
        lines = []
    shutil.rmtree(db, ignore_errors=True)
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"every metric equals NetworkX within {TOLERANCE:g} on {len(graphs)} real projections")


if __name__ == "__main__":
    main()
