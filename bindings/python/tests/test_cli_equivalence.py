"""Python and the CLI give identical answers on real data: every NeurIPS paper list ingested
from Python, then stats, pairs, describe_pair, centrality, projection and info compared with
the built `collabgraph` binary's --json on the same database, and the Python ingest compared
with a CLI ingest of the same files."""
import json

import pytest

import collabgraph
from conftest import cli_json, run_cli

# (keyword arguments, the same options as CLI flags)
STATS_CASES = [
    ({"by": "year"}, ["--by", "year"]),
    ({}, []),
    ({"by": "year", "regions": "merge", "pair_rule": "bilateral"},
     ["--by", "year", "--regions", "merge", "--pair-rule", "bilateral"]),
    ({"years": "2010:2016", "regions": "split", "counting": "fractional"},
     ["--years", "2010:2016", "--regions", "split", "--counting", "fractional"]),
    ({"by": "tag", "attribution": "last", "include_rejected": True},
     ["--by", "tag", "--attribution", "last", "--include-rejected"]),
    ({"year_from": 2015, "venues": ["nips"], "tags": ["transformer", "gan"], "by": "venue"},
     ["--years", "2015:", "--venue", "nips", "--tag", "transformer", "--tag", "gan", "--by",
      "venue"]),
]


@pytest.fixture(scope="module")
def db(neurips_db):
    with collabgraph.Database(neurips_db.path, read_only=True) as handle:
        yield handle


def test_ingest_from_python_equals_ingest_from_the_cli(cli, neurips_db, tmp_path):
    cli_db = tmp_path / "cli.db"
    args = ["ingest", cli_db, *neurips_db.files]
    if neurips_db.universities:
        args += ["--universities", neurips_db.universities]
    report = cli_json(cli, *args)
    assert report == neurips_db.report
    assert sum(f["added"] for f in report["files"]) > 5000
    info = cli_json(cli, "info", cli_db, "--hash")
    with collabgraph.Database(neurips_db.path, read_only=True) as db:
        assert f"{db.content_hash():016x}" == info["content_hash"]
        mine = db.info()
    for d in (info, mine):
        for volatile in ("path", "approximate_bytes", "content_hash"):
            d.pop(volatile, None)
    assert mine == info


@pytest.mark.parametrize("kwargs,flags", STATS_CASES, ids=lambda c: str(c))
def test_stats_equal_the_cli(cli, neurips_db, db, kwargs, flags):
    expected = cli_json(cli, "stats", neurips_db.path, *flags)
    got = db.stats(**kwargs)
    assert got == expected
    groups = got["groups"] if "groups" in got else [got]
    assert sum(g["papers"] for g in groups) > 0


def test_stats_by_year_cover_every_list(neurips_db, db):
    years = [g["key"] for g in db.stats(by="year")["groups"]]
    assert years == [f[-12:-8] for f in neurips_db.files]


@pytest.mark.parametrize("kwargs,flags", [
    ({}, []),
    ({"top": None}, ["--top", "0"]),
    ({"top": 10, "counting": "fractional", "regions": "merge"},
     ["--top", "10", "--counting", "fractional", "--regions", "merge"]),
    ({"top": 5, "by": "year", "years": "2012:2016"},
     ["--top", "5", "--by", "year", "--years", "2012:2016"]),
], ids=lambda c: str(c))
def test_pairs_equal_the_cli(cli, neurips_db, db, kwargs, flags):
    assert db.pairs(**kwargs) == cli_json(cli, "pairs", neurips_db.path, *flags)


def test_describe_pair_equals_the_cli(cli, neurips_db, db):
    expected = cli_json(cli, "pairs", neurips_db.path, "--detail", "United States,CN", "--top",
                        "15", "--regions", "merge")
    assert db.describe_pair("United States", "CN", top=15, regions="merge") == expected
    assert len(expected["institutions"]) == 15 and expected["series"]


@pytest.mark.parametrize("graph,metric,kwargs,flags", [
    ("country", "betweenness", {}, []),
    ("institution", "pagerank", {"top": 25, "years": "2014:2016"},
     ["--top", "25", "--years", "2014:2016"]),
    ("author", "louvain", {"top": 50, "weights": "fractional", "seed": 7, "years": 2016},
     ["--top", "50", "--weights", "fractional", "--seed", "7", "--years", "2016"]),
    ("institution", "bridge", {"between": ("US", "China"), "top": 10, "weighted": "full"},
     ["--between", "US,China", "--top", "10", "--weighted", "full"]),
], ids=lambda c: str(c))
def test_centrality_equals_the_cli(cli, neurips_db, db, graph, metric, kwargs, flags):
    if "top" not in kwargs:
        flags = flags + ["--top", "0"]
    expected = cli_json(cli, "centrality", neurips_db.path, "--graph", graph, "--metric", metric,
                        *flags)
    got = db.centrality(graph, metric, **kwargs)
    for d in (expected, got):
        d.pop("seconds")  # wall times
    assert got == expected
    assert got["results"]


def test_projection_equals_the_cli_export(cli, neurips_db, db, tmp_path):
    out = tmp_path / "inst.json"
    run_cli(cli, "export", neurips_db.path, "--graph", "institution", "--format", "json",
            "-o", out, "--years", "2012:2016")
    expected = json.loads(out.read_text())
    p = db.projection("institution", years="2012:2016")
    nodes = p.nodes()
    assert [{"id": i, "name": n, **({"code": c} if c else {})}
            for i, n, c in zip(nodes.id.tolist(), nodes.name, nodes.code)] == \
        [{k: v for k, v in n.items() if k != "code" or v} for n in expected["nodes"]]
    src, dst, weight, fractional = p.edges(ids=True)
    assert list(zip(src.tolist(), dst.tolist(), weight.tolist(), fractional.tolist())) == \
        [(e["source"], e["target"], e["papers"], e["fractional"]) for e in expected["edges"]]
    assert p.rules == expected["rules"] and p.graph == expected["graph"] == "institution"
