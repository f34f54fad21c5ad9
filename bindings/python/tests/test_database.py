"""collabgraph.Database on a tiny paper list whose numbers are counted here by hand: opening,
ingest, statistics and their keyword arguments, errors and their exception types, close()."""
import itertools
import json
import os
import threading

import pytest

import collabgraph
from conftest import TINY_2020, TINY_2021, tiny_country_sets


def test_module_reports_version_and_exception_hierarchy():
    assert collabgraph.__version__.count(".") == 2
    assert issubclass(collabgraph.Error, RuntimeError)
    assert issubclass(collabgraph.NotFoundError, collabgraph.Error)
    assert issubclass(collabgraph.NotFoundError, KeyError)
    assert issubclass(collabgraph.InvalidArgumentError, collabgraph.Error)
    assert issubclass(collabgraph.InvalidArgumentError, ValueError)
    assert issubclass(collabgraph.ClosedError, collabgraph.Error)


def test_context_manager_closes_and_reopens(tmp_path, tiny_files):
    path = tmp_path / "db"
    with collabgraph.Database(path) as db:  # os.PathLike accepted
        assert not db.closed and db.path == str(path) and not db.read_only
        db.ingest(tiny_files, resolve=False)
    assert db.closed
    # Closed means the RocksDB lock is released: the same process can open it again.
    with collabgraph.Database(str(path), read_only=True) as again:
        assert again.read_only
        assert again.stats()["papers"] == len(tiny_country_sets(TINY_2020 + TINY_2021))


def test_ingest_returns_the_report_and_is_idempotent(tmp_path, tiny_files):
    with collabgraph.Database(tmp_path / "db") as db:
        first = db.ingest(tiny_files, universities="", resolve=False)
        second = db.ingest(tiny_files, universities="", resolve=False)
    records = [len(TINY_2020), len(TINY_2021)]
    assert [f["records"] for f in first["files"]] == records
    assert [f["added"] for f in first["files"]] == records
    assert [(f["venue"], f["year"]) for f in first["files"]] == [("tiny", 2020), ("tiny", 2021)]
    assert [f["rejected"] for f in first["files"]] == [1, 0]
    assert [f["added"] for f in second["files"]] == [0, 0]
    assert [f["already_present"] for f in second["files"]] == records
    # A single path (str or PathLike) works too, and venue/year override the file name.
    with collabgraph.Database(tmp_path / "db2") as db:
        report = db.ingest(tiny_files[0], venue="other", year=1999, resolve=False)
        assert report["files"][0]["venue"] == "other" and report["files"][0]["year"] == 1999
        assert db.stats(venues="other", years=1999)["papers"] == 3


def test_stats_counts_match_a_count_by_hand(tiny_db):
    sets = tiny_country_sets(TINY_2020 + TINY_2021)
    s = tiny_db.stats()
    assert s["papers"] == len(sets)
    assert s["papers_with_country"] == sum(1 for c in sets if c)
    assert s["international_papers"] == sum(1 for c in sets if len(c) >= 2)
    assert s["excluded_papers"] == 1
    countries = {c["code"]: c["papers"] for c in s["countries"]}
    for code in ("US", "CN", "CH"):
        assert countries[code] == sum(1 for c in sets if code in c)
    pairs = {(p["a"], p["b"]): p["papers"] for p in s["pairs"]}
    assert pairs[("CN", "US")] == sum(1 for c in sets if {"US", "CN"} <= c)
    # bilateral: exactly the two countries.
    b = tiny_db.stats(pair_rule="bilateral")
    pairs = {(p["a"], p["b"]): p["papers"] for p in b["pairs"]}
    assert pairs.get(("CN", "US"), 0) == sum(1 for c in sets if c == {"US", "CN"})
    assert s["rules"]["pair_rule"] == "any" and b["rules"]["pair_rule"] == "bilateral"


def test_stats_filters_and_grouping(tiny_db):
    by_year = tiny_db.stats(by="year")
    assert [g["key"] for g in by_year["groups"]] == ["2020", "2021"]
    assert [g["papers"] for g in by_year["groups"]] == [
        len(tiny_country_sets(TINY_2020)), len(tiny_country_sets(TINY_2021))]
    # The forms of a year range agree with each other and with the grouped counts.
    only_2021 = [tiny_db.stats(years=y)["papers"]
                 for y in ("2021", "2021:", 2021, (2021, None))]
    assert only_2021 == [by_year["groups"][1]["papers"]] * 4
    assert tiny_db.stats(year_from=2021)["papers"] == only_2021[0]
    assert tiny_db.stats(years=":2020")["papers"] == by_year["groups"][0]["papers"]
    assert tiny_db.stats(venues=["tiny"])["papers"] == tiny_db.stats()["papers"]
    assert tiny_db.stats(venues="nowhere")["papers"] == 0
    assert tiny_db.stats(include_rejected=True)["papers"] == len(TINY_2020) + len(TINY_2021)
    assert tiny_db.stats(attribution="first")["rules"]["attribution"] == "first"
    frac = tiny_db.stats(counting="fractional")
    assert frac["rules"]["counting"] == "fractional"
    values = [c["fractional"] for c in frac["countries"]]
    assert values == sorted(values, reverse=True)


def test_pairs_cut_to_top(tiny_db):
    everything = tiny_db.pairs(top=None)
    assert everything["pairs"] == tiny_db.stats()["pairs"]
    assert len(everything["pairs"]) == 3
    assert tiny_db.pairs(top=1)["pairs"] == everything["pairs"][:1]
    detail = tiny_db.pairs(detail="United States,China")
    assert detail == tiny_db.describe_pair("US", "CN")
    assert (detail["a"], detail["b"]) == ("US", "CN")
    sets_2020 = tiny_country_sets(TINY_2020)
    year = next(p for p in detail["series"] if p["year"] == 2020)
    assert year["papers"] == len(sets_2020)
    assert year["pair_papers"] == sum(1 for c in sets_2020 if {"US", "CN"} <= c)


def test_bad_keywords_raise_typeerror_and_bad_values_valueerror(tiny_db):
    with pytest.raises(TypeError, match="unexpected keyword argument 'regon'"):
        tiny_db.stats(regon="merge")
    with pytest.raises(TypeError, match="venues must be a str or a list of str"):
        tiny_db.stats(venues=3)
    with pytest.raises(TypeError, match="years tuple"):
        tiny_db.stats(years=("2020", None))
    with pytest.raises(TypeError, match="top must be an int"):
        tiny_db.pairs(top="3")
    with pytest.raises(collabgraph.InvalidArgumentError, match="top must be >= 0"):
        tiny_db.centrality("country", "degree", top=-1)
    cases = [dict(regions="both"), dict(by="month"), dict(years="20x0"), dict(counting="half"),
             dict(pair_rule="all"), dict(attribution="middle"), dict(years="2020", year_to=2021)]
    for kwargs in cases:
        with pytest.raises(ValueError) as e:
            tiny_db.stats(**kwargs)
        assert isinstance(e.value, collabgraph.InvalidArgumentError)
        assert e.value.code == "INVALID_ARGUMENT"
        assert next(iter(kwargs)) in str(e.value)
    with pytest.raises(collabgraph.InvalidArgumentError, match="graph"):
        tiny_db.centrality("people", "degree")
    # The library's own message comes through: an unknown metric, an unknown country.
    with pytest.raises(collabgraph.InvalidArgumentError, match="telepathy"):
        tiny_db.centrality("country", "telepathy")
    with pytest.raises(collabgraph.InvalidArgumentError, match="Atlantis"):
        tiny_db.describe_pair("US", "Atlantis")


def test_library_errors_carry_the_message_and_code(tmp_path, tiny_files):
    missing = tmp_path / "no-such-db"
    with pytest.raises(collabgraph.NotFoundError) as e:
        collabgraph.Database(missing, read_only=True)
    assert isinstance(e.value, KeyError) and str(missing) in str(e.value)
    assert e.value.code == "NOT_FOUND"
    assert not missing.exists()

    bad = tmp_path / "bad2020.json"
    bad.write_text('[{"id": "x1", "title": 7, "author": "A B"}]')
    with collabgraph.Database(tmp_path / "db") as db:
        with pytest.raises(collabgraph.InvalidArgumentError) as e:
            db.ingest([tiny_files[0], str(bad)])
        assert "bad2020.json" in str(e.value)
        assert db.stats()["papers"] == 0  # nothing written when one file is bad
        with pytest.raises(collabgraph.NotFoundError, match="nothere2020.json"):
            db.ingest(str(tmp_path / "nothere2020.json"))
        db.ingest(tiny_files, resolve=False)
    with collabgraph.Database(tmp_path / "db", read_only=True) as ro:
        with pytest.raises(collabgraph.Error) as e:
            ro.ingest(tiny_files)
        assert e.value.code == "FAILED_PRECONDITION"
        assert not isinstance(e.value, (KeyError, ValueError))


def test_second_writer_in_another_process_is_refused(tmp_path, tiny_files):
    import subprocess
    import sys
    path = str(tmp_path / "db")
    with collabgraph.Database(path) as db:
        db.ingest(tiny_files, resolve=False)
        code = ("import collabgraph, sys\n"
                "try:\n"
                "    collabgraph.Database(sys.argv[1])\n"
                "except collabgraph.Error as e:\n"
                "    print(e.code, e)\n")
        out = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True,
                             env=dict(os.environ), check=True).stdout
        assert out.startswith("UNAVAILABLE"), out
        assert path in out


def test_every_method_raises_after_close(tiny_db):
    tiny_db.close()
    tiny_db.close()  # idempotent
    assert tiny_db.closed and "closed" in repr(tiny_db)
    calls = [lambda: tiny_db.stats(), lambda: tiny_db.pairs(), lambda: tiny_db.info(),
             lambda: tiny_db.ingest([]), lambda: tiny_db.describe_pair("US", "CN"),
             lambda: tiny_db.centrality("country", "degree"), lambda: tiny_db.check(),
             lambda: tiny_db.projection("country"), lambda: tiny_db.content_hash(),
             lambda: tiny_db.compact()]
    for call in calls:
        with pytest.raises(collabgraph.ClosedError, match="closed"):
            call()


def test_info_check_and_hash(tiny_db, tmp_path, tiny_files):
    info = tiny_db.info()
    assert info["nodes"]["Paper"] == len(TINY_2020) + len(TINY_2021)
    assert tiny_db.check()["violation_count"] == 0
    with collabgraph.Database(tmp_path / "same") as other:
        other.ingest(tiny_files, universities="", resolve=False)
        assert other.content_hash() == tiny_db.content_hash()
        other.ingest(tiny_files[0], venue="elsewhere", resolve=False)
        assert other.content_hash() != tiny_db.content_hash()


def test_compact_keeps_the_content(tmp_path, tiny_files):
    path = tmp_path / "db"
    with collabgraph.Database(path) as db:
        for f in tiny_files:  # one ingest per file, so that there is something to merge
            db.ingest(f, universities="", resolve=False)
        info = db.info()
        before = (db.content_hash(), info["nodes"], info["edges"], db.stats(by="year"))
        report = db.compact()
        assert set(report) == {"sorted_runs_before", "sorted_runs_after", "bytes_before",
                               "bytes_after", "seconds"}
        assert report["sorted_runs_after"] == 6  # one per column family
        assert report["sorted_runs_before"] >= report["sorted_runs_after"]
        info = db.info()
        assert (db.content_hash(), info["nodes"], info["edges"], db.stats(by="year")) == before
        assert db.check()["violation_count"] == 0
    with collabgraph.Database(path, read_only=True) as ro:
        with pytest.raises(collabgraph.Error, match="read-only"):
            ro.compact()


def test_close_while_other_threads_query_never_crashes(tiny_db):
    """Threads hammer the database while another closes it: every call either answers in full
    or raises ClosedError; nothing else happens."""
    expected = json.dumps(tiny_db.stats(by="year"))
    outcomes = {"ok": 0, "closed": 0}
    errors = []
    lock = threading.Lock()
    start = threading.Barrier(5)

    def worker():
        start.wait()
        for _ in range(400):
            try:
                got = json.dumps(tiny_db.stats(by="year"))
                key = "ok"
                if got != expected:
                    errors.append("different answer")
            except collabgraph.ClosedError:
                key = "closed"
            except Exception as e:  # noqa: BLE001 - any other outcome is the failure
                errors.append(repr(e))
                return
            with lock:
                outcomes[key] += 1

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    start.wait()
    while outcomes["ok"] < 20:
        pass
    tiny_db.close()
    for t in threads:
        t.join()
    assert not errors
    assert outcomes["ok"] >= 20 and outcomes["closed"] > 0


def test_country_helpers():
    assert collabgraph.country_code("United States of America") == "US"
    assert collabgraph.country_name("CN") == "China"
    with pytest.raises(collabgraph.NotFoundError, match="Atlantis"):
        collabgraph.country_code("Atlantis")
