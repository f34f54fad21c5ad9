"""Fixtures of the Python binding tests.

The tests import the module `collabgraph` from PYTHONPATH (ctest sets it to the build tree's
bindings/python). Paths come from the environment ctest sets, with defaults for a run by hand
from the repository root (`PYTHONPATH=build/bindings/python python3 -m pytest
bindings/python/tests`):
  COLLABGRAPH_CLI        the built `collabgraph` binary (build/tools/collabgraph/collabgraph)
  COLLABGRAPH_DATA_DIR   the data (paperlists/...; default $COLLABGRAPH_DATA or ../shared/data)
  COLLABGRAPH_BUILD_DIR  the build tree, for the install test (default build/)
Tests that need the real data skip without it, or fail when COLLABGRAPH_REQUIRE_DATA=1 (CI).
"""
import glob
import json
import os
import subprocess
import types

import pytest

import collabgraph

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def _data_dir():
    return os.environ.get("COLLABGRAPH_DATA_DIR") or os.environ.get("COLLABGRAPH_DATA") or \
        os.path.join(ROOT, "..", "shared", "data")


def _need(what):
    if os.environ.get("COLLABGRAPH_REQUIRE_DATA") == "1":
        pytest.fail(f"{what} missing and COLLABGRAPH_REQUIRE_DATA=1")
    pytest.skip(f"{what} missing")


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("COLLABGRAPH_CLI") or os.path.join(ROOT, "build", "tools", "collabgraph",
                                                             "collabgraph")
    if not os.access(path, os.X_OK):
        pytest.skip(f"no collabgraph binary at {path}")
    return path


def run_cli(cli, *args):
    """Runs the CLI; returns stdout, failing the test with stderr on a non-zero exit."""
    p = subprocess.run([cli, *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 0, f"{' '.join(map(str, args))}: exit {p.returncode}\n{p.stderr}"
    return p.stdout


def cli_json(cli, *args):
    return json.loads(run_cli(cli, *args, "--json"))


@pytest.fixture(scope="session")
def data_dir():
    d = _data_dir()
    if not os.path.isdir(os.path.join(d, "paperlists")):
        _need(f"paper lists under {d}")
    return os.path.abspath(d)


@pytest.fixture(scope="session")
def neurips_files(data_dir):
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")))
    if len(files) < 10:
        _need(f"NeurIPS paper lists under {data_dir}")
    return files


@pytest.fixture(scope="session")
def universities(data_dir):
    path = os.path.join(data_dir, "reference", "world_universities_and_domains.json.gz")
    return path if os.path.exists(path) else ""


@pytest.fixture(scope="session")
def neurips_db(tmp_path_factory, neurips_files, universities):
    """Every NeurIPS paper list ingested from Python once; closed, for tests to open."""
    path = str(tmp_path_factory.mktemp("neurips") / "db")
    with collabgraph.Database(path) as db:
        report = db.ingest(neurips_files, universities=universities)
    return types.SimpleNamespace(path=path, report=report, files=neurips_files,
                                 universities=universities)


# A tiny paper list whose numbers the tests can count by hand: venue "tiny", year from the
# file name. Countries as Paper Copilot gives them: per authorship, indices into the lists of
# distinct institutions and countries.
TINY_2020 = [
    {"id": "p1", "title": "Graphs of Collaboration", "status": "Poster",
     "author": "Ann Lee; Bo Chen; Cy Diaz",
     "aff_unique_index": "0;1;2", "aff_unique_norm": "MIT;Tsinghua University;ETH Zurich",
     "aff_country_unique_index": "0;1;2",
     "aff_country_unique": "United States;China;Switzerland"},
    {"id": "p2", "title": "Two Countries, One Transformer", "status": "Oral",
     "author": "Ann Lee; Bo Chen",
     "aff_unique_index": "0;1", "aff_unique_norm": "MIT;Tsinghua University",
     "aff_country_unique_index": "0;1", "aff_country_unique": "United States;China"},
    {"id": "p3", "title": "Alone in Zurich", "status": "Poster", "author": "Cy Diaz",
     "aff_unique_index": "0", "aff_unique_norm": "ETH Zurich",
     "aff_country_unique_index": "0", "aff_country_unique": "Switzerland"},
    {"id": "p4", "title": "Rejected Ideas", "status": "Reject", "author": "Bo Chen; Dee Park",
     "aff_unique_index": "0;1", "aff_unique_norm": "Tsinghua University;MIT",
     "aff_country_unique_index": "0;1", "aff_country_unique": "China;United States"},
]
TINY_2021 = [
    {"id": "q1", "title": "Bridges Between Labs", "status": "Poster",
     "author": "Ann Lee; Eve Rossi; Bo Chen",
     "aff_unique_index": "0;1;2", "aff_unique_norm": "MIT;ETH Zurich;Tsinghua University",
     "aff_country_unique_index": "0;1;2",
     "aff_country_unique": "United States;Switzerland;China"},
    {"id": "q2", "title": "No Country Known", "status": "Poster", "author": "Fay Unknown",
     "aff_unique_index": "0", "aff_unique_norm": "Nowhere Lab",
     "aff_country_unique_index": "0", "aff_country_unique": ""},
]
COUNTRY = {"United States": "US", "China": "CN", "Switzerland": "CH"}


def tiny_country_sets(records):
    """The country set of each accepted record, computed from the records themselves."""
    out = []
    for r in records:
        if r["status"] == "Reject":
            continue
        names = [n for n in r["aff_country_unique"].split(";") if n]
        out.append({COUNTRY[n] for n in names})
    return out


@pytest.fixture
def tiny_files(tmp_path):
    paths = []
    for year, records in ((2020, TINY_2020), (2021, TINY_2021)):
        p = tmp_path / f"tiny{year}.json"
        p.write_text(json.dumps(records))
        paths.append(str(p))
    return paths


@pytest.fixture
def tiny_db(tmp_path, tiny_files):
    """A database with the tiny lists ingested, open for writing; closed after the test."""
    db = collabgraph.Database(str(tmp_path / "tiny.db"))
    db.ingest(tiny_files, universities="", resolve=False)
    yield db
    db.close()
