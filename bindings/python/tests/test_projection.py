"""Database.projection on the tiny paper list: nodes and weighted edges equal a count by hand,
and the NumPy, NetworkX and pandas views agree with each other."""
import itertools
import sys

import numpy as np
import pytest

import collabgraph
from conftest import TINY_2020, TINY_2021, tiny_country_sets


def expected_country_edges(records):
    """{(a, b): (papers, fractional)} of the country graph, from the records: full weight =
    papers with both; fractional = sum over those papers of 1/(n-1), n = the paper's countries."""
    edges = {}
    for countries in tiny_country_sets(records):
        for a, b in itertools.combinations(sorted(countries), 2):
            papers, frac = edges.get((a, b), (0, 0.0))
            edges[(a, b)] = (papers + 1, frac + 1.0 / (len(countries) - 1))
    return edges


def test_country_projection_equals_a_count_by_hand(tiny_db):
    p = tiny_db.projection("country")
    assert p.graph == "country" and p.rules["regions"] == "source"
    nodes = p.nodes()
    assert isinstance(nodes, collabgraph.Nodes) and nodes.id.dtype == np.int64
    assert sorted(nodes.code) == ["CH", "CN", "US"] and p.num_nodes == len(p) == 3
    edges = p.edges()
    assert isinstance(edges, collabgraph.Edges)
    assert edges.src.dtype == np.int64 and edges.weight.dtype == np.float64
    assert np.all(edges.src < edges.dst)
    got = {tuple(sorted((nodes.code[s], nodes.code[d]))): (w, f)
           for s, d, w, f in zip(edges.src, edges.dst, edges.weight, edges.fractional)}
    want = expected_country_edges(TINY_2020 + TINY_2021)
    assert got.keys() == want.keys()
    for key, (papers, frac) in want.items():
        assert got[key][0] == papers and got[key][1] == pytest.approx(frac)
    # ids=True gives database ids instead of indices.
    by_id = p.edges(ids=True)
    assert by_id.src.tolist() == nodes.id[edges.src].tolist()


def test_filters_narrow_the_projection(tiny_db):
    only_2020 = tiny_db.projection("country", years="2020")
    want = expected_country_edges(TINY_2020)
    assert only_2020.num_edges == len(want)
    assert only_2020.edges().weight.sum() == sum(w for w, _ in want.values())
    authors = tiny_db.projection("author", max_members=2)
    # Papers with more than 2 authors add no edges: only the pairs of two-author papers remain.
    pairs = {frozenset(a.strip() for a in r["author"].split(";"))
             for r in TINY_2020 + TINY_2021
             if r["status"] != "Reject" and len(r["author"].split(";")) == 2}
    nodes = authors.nodes()
    assert {frozenset((nodes.name[s], nodes.name[d]))
            for s, d in zip(authors.edges().src, authors.edges().dst)} == pairs
    assert authors.num_nodes == tiny_db.projection("author").num_nodes
    with pytest.raises(TypeError, match="metric"):
        tiny_db.projection("author", metric="degree")


def test_networkx_and_pandas_views_agree_with_the_arrays(tiny_db):
    p = tiny_db.projection("institution")
    nodes, edges = p.nodes(), p.edges(ids=True)
    g = p.to_networkx()
    assert g.number_of_nodes() == p.num_nodes and g.number_of_edges() == p.num_edges
    assert g.graph["graph"] == "institution" and g.graph["rules"] == p.rules
    for i, name, code in zip(nodes.id.tolist(), nodes.name, nodes.code):
        assert g.nodes[i] == {"name": name, "code": code}
    for s, d, w, f in zip(edges.src.tolist(), edges.dst.tolist(), edges.weight, edges.fractional):
        assert g.edges[s, d] == {"weight": w, "fractional": f}
    mit = next(i for i, n in zip(nodes.id.tolist(), nodes.name) if n == "MIT")
    tsinghua = next(i for i, n in zip(nodes.id.tolist(), nodes.name) if n == "Tsinghua University")
    sets = [r for r in TINY_2020 + TINY_2021 if r["status"] != "Reject"
            and {"MIT", "Tsinghua University"} <= set(r["aff_unique_norm"].split(";"))]
    assert g.edges[mit, tsinghua]["weight"] == len(sets)

    frame = p.to_pandas()
    assert list(frame.columns) == ["source", "target", "source_name", "target_name", "weight",
                                   "fractional"]
    assert frame["source"].tolist() == edges.src.tolist()
    assert frame["weight"].tolist() == edges.weight.tolist()
    assert frame.attrs["graph"] == "institution"
    node_frame = p.to_pandas("nodes")
    assert node_frame["name"].tolist() == nodes.name
    with pytest.raises(ValueError, match="edges"):
        p.to_pandas("rows")


def test_missing_networkx_or_pandas_is_a_clear_importerror(tiny_db, monkeypatch):
    p = tiny_db.projection("country")
    monkeypatch.setitem(sys.modules, "networkx", None)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="to_networkx.*networkx.*python3-networkx"):
        p.to_networkx()
    with pytest.raises(ImportError, match="to_pandas.*pandas.*python3-pandas"):
        p.to_pandas()
    assert len(p.edges().src) == p.num_edges  # NumPy still works


def test_projection_outlives_its_database(tiny_db):
    p = tiny_db.projection("country")
    before = p.edges().weight.tolist()
    tiny_db.close()
    assert p.edges().weight.tolist() == before and p.to_networkx().number_of_edges() == len(before)
