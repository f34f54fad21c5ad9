"""The query API from Python: Snapshot lookups and traversals on the tiny paper list (counted
here by hand), snapshot isolation, closed snapshots and cursors, and equality with
`collabgraph query --json` on every NeurIPS list."""
import gc
import threading

import pytest

import collabgraph
from conftest import COUNTRY, TINY_2020, TINY_2021, cli_json


def accepted(records):
    return [r for r in records if r["status"] != "Reject"]


def authors_of(record):
    return [a.strip() for a in record["author"].split(";")]


def test_lookups_and_traversals_equal_a_count_by_hand(tiny_db):
    records = TINY_2020 + TINY_2021
    with tiny_db.snapshot() as snap:
        [ann] = snap.find_authors("Ann Lee")
        assert ann["name"] == "Ann Lee" and snap.author(ann["id"]) == ann
        assert snap.find_authors("ANN  lee", normalized=True) == [ann]
        assert snap.find_authors("ANN  lee") == []
        # Co-authors with the papers shared, from the records.
        shared = {}
        for r in accepted(records):
            if "Ann Lee" in authors_of(r):
                for other in authors_of(r):
                    if other != "Ann Lee":
                        shared[other] = shared.get(other, 0) + 1
        got = {c["author"]["name"]: c["papers"] for c in snap.coauthors(ann["id"])}
        assert got == shared
        # Papers with US and CN: the cursor yields them in id order, as dicts.
        both = [r["title"] for r in accepted(records)
                if {"United States", "China"} <= set(r["aff_country_unique"].split(";"))]
        papers = list(snap.papers(all_countries=["US", "China"]))
        assert [p["title"] for p in papers] == both
        assert [p["id"] for p in papers] == sorted(p["id"] for p in papers)
        assert len(list(snap.papers(years=2021))) == len(accepted(TINY_2021))
        pairs = {}
        for r in accepted(records):
            codes = sorted({COUNTRY[n] for n in r["aff_country_unique"].split(";") if n})
            for i, a in enumerate(codes):
                for b in codes[i + 1:]:
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
        got = snap.country_pairs()
        assert {(p["a"], p["b"]): p["papers"] for p in got} == pairs
        assert [p["papers"] for p in got] == sorted(pairs.values(), reverse=True)
        assert len(list(snap.papers(author=ann["id"]))) == sum(
            1 for r in accepted(records) if "Ann Lee" in authors_of(r))
        first = papers[0]
        assert snap.paper(first["id"]) == first
        authorships = snap.authorships(first["id"])
        record = next(r for r in records if r["title"] == first["title"])
        assert [a["author"]["name"] for a in authorships] == authors_of(record)
        assert [a["position"] for a in authorships] == list(range(len(authorships)))
        assert {c["code"] for c in snap.countries_of_paper(first["id"])} >= {"US", "CN"}
        found = snap.find_paper_by_external_id("source", f"tiny/2020/{record['id']}")
        assert found == first
        assert snap.find_paper_by_external_id("source", "tiny/2020/none") is None
        [mit] = snap.find_institutions("MIT")
        assert mit["id"] in {i["id"] for i in snap.institutions_of_paper(first["id"])}
        # The neighbourhood of Ann: her co-authors at distance 1, theirs at 2.
        hood = list(snap.neighborhood(ann["id"], hops=2))
        names = {snap.author(n["id"])["name"]: n["distance"] for n in hood}
        assert {n for n, d in names.items() if d == 1} == set(shared)
        assert all(d == 2 for n, d in names.items() if n not in shared)
        # Papers per author count every paper, rejected ones too.
        prolific = snap.most_prolific_authors(1)[0]
        assert prolific["papers"] == max(
            sum(1 for r in records if name in authors_of(r))
            for name in {a for r in records for a in authors_of(r)})
        [cy] = snap.find_authors("Cy Diaz")
        [eve] = snap.find_authors("Eve Rossi")
        path = snap.shortest_path(cy["id"], eve["id"])
        assert path[0]["id"] == cy["id"] and path[-1]["id"] == eve["id"] and len(path) == 3
        assert path[0]["via_paper"] == 0 and all(s["via_paper"] > 0 for s in path[1:])


def test_errors_are_python_exceptions(tiny_db):
    snap = tiny_db.snapshot()
    with pytest.raises(collabgraph.NotFoundError):
        snap.paper(10**9)
    with pytest.raises(collabgraph.NotFoundError):
        snap.country("Atlantis")
    with pytest.raises(collabgraph.InvalidArgumentError, match="graph"):
        snap.neighborhood(1, graph="country")
    with pytest.raises(ValueError, match="regions"):
        snap.countries_of_paper(1, regions="everywhere")
    with pytest.raises(TypeError, match="unexpected keyword argument 'country'"):
        snap.papers(country="US")


def test_a_snapshot_does_not_see_later_ingests(tmp_path, tiny_files):
    with collabgraph.Database(tmp_path / "db") as db:
        db.ingest(tiny_files[0], resolve=False)
        old = db.snapshot()
        cursor = old.papers()
        db.ingest(tiny_files[1], resolve=False)
        assert len(list(cursor)) == len(accepted(TINY_2020))
        assert len(list(old.papers())) == len(accepted(TINY_2020))
        assert len(list(db.snapshot().papers())) == len(accepted(TINY_2020 + TINY_2021))


def test_use_after_close_raises_for_snapshots_and_cursors(tiny_db):
    snap = tiny_db.snapshot()
    papers = snap.papers()
    hood = snap.neighborhood(1, hops=3)
    first = next(papers)
    next(hood)
    tiny_db.close()
    calls = [lambda: next(papers), lambda: next(hood), lambda: snap.paper(first["id"]),
             lambda: snap.papers(), lambda: snap.coauthors(1), lambda: tiny_db.snapshot()]
    for call in calls:
        with pytest.raises(collabgraph.ClosedError, match="database .* is closed"):
            call()


def test_closing_a_snapshot_or_cursor(tiny_db):
    snap = tiny_db.snapshot()
    papers, hood = snap.papers(), snap.neighborhood(1)
    next(papers)
    snap.close()
    for call in (lambda: next(papers), lambda: next(hood), lambda: snap.author(1)):
        with pytest.raises(collabgraph.ClosedError, match="snapshot is closed"):
            call()
    other = tiny_db.snapshot()
    cursor = other.papers()
    cursor.close()
    with pytest.raises(collabgraph.ClosedError, match="cursor is closed"):
        next(cursor)
    assert other.paper(1)["id"] == 1  # the snapshot itself is still open
    assert tiny_db.stats()["papers"] > 0


def test_a_snapshot_keeps_its_database_open(tmp_path, tiny_files):
    path = tmp_path / "db"
    with collabgraph.Database(path) as db:
        db.ingest(tiny_files, resolve=False)
    snap = collabgraph.Database(path).snapshot()  # the Database object is dropped at once
    gc.collect()
    cursor = snap.papers()
    del snap
    gc.collect()
    assert len(list(cursor)) == len(accepted(TINY_2020 + TINY_2021))
    with pytest.raises(collabgraph.Error, match="lock"):
        collabgraph.Database(path)  # still open for writing: its lock is held
    del cursor
    gc.collect()
    with collabgraph.Database(path) as again:  # now closed, so it opens
        assert again.stats()["papers"] > 0


def test_cursors_from_many_threads_while_the_database_closes(tiny_db):
    snap = tiny_db.snapshot()
    expected = [p["id"] for p in snap.papers(include_rejected=True)]
    errors, done = [], []
    start = threading.Barrier(5)

    def worker():
        start.wait()
        try:
            while True:
                ids = [p["id"] for p in snap.papers(include_rejected=True)]
                if ids != expected:
                    errors.append(ids)
                done.append(1)
        except collabgraph.ClosedError:
            pass
        except Exception as e:  # noqa: BLE001 - anything else is the failure
            errors.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    start.wait()
    while len(done) < 50:
        pass
    tiny_db.close()
    for t in threads:
        t.join()
    assert not errors and len(done) >= 50


# ---- equality with `collabgraph query --json` on real data ---------------------------------

@pytest.fixture(scope="module")
def neurips(neurips_db):
    db = collabgraph.Database(neurips_db.path, read_only=True)
    yield neurips_db.path, db.snapshot()
    db.close()


def query(cli, path, *args):
    return cli_json(cli, "query", path, *args, "--limit", "0")


def test_papers_cursor_equals_the_cli(cli, neurips):
    path, snap = neurips
    expected = query(cli, path, "papers", "--all-countries", "US", "--all-countries", "CN",
                     "--regions", "merge")
    got = list(snap.papers(all_countries=["US", "CN"], regions="merge"))
    assert got == expected["results"] and expected["count"] > 100
    expected = query(cli, path, "papers", "--country", "CH", "--country", "AT", "--years",
                     "2010:2016", "--tag", "gan", "--tag", "transformer")
    assert list(snap.papers(any_countries=["CH", "AT"], years="2010:2016",
                            tags=["gan", "transformer"])) == expected["results"]
    expected = query(cli, path, "pairs", "--country", "CN", "--years", "2012:", "--regions",
                     "split")
    assert snap.country_pairs(any_countries="CN", years="2012:", regions="split") == \
        expected["results"] and expected["count"] > 10


def test_lookups_and_traversals_equal_the_cli(cli, neurips):
    path, snap = neurips
    prolific = query(cli, path, "prolific")["results"]
    assert snap.most_prolific_authors(len(prolific)) == prolific
    top = prolific[0]["author"]["id"]
    assert snap.coauthors(top) == query(cli, path, "coauthors", top)["results"]
    assert list(snap.neighborhood(top, hops=2)) == \
        query(cli, path, "neighborhood", top, "--hops", 2)["results"]
    far = prolific[-1]["author"]["id"]
    assert snap.shortest_path(top, far) == query(cli, path, "path", top, far)["results"]
    name = prolific[1]["author"]["name"]
    assert snap.find_authors(name.upper(), normalized=True) == \
        query(cli, path, "author", "--name", name.upper(), "--normalized")["results"]
    # A paper with authors in several countries.
    pid = next(snap.papers(all_countries=["US", "CN", "GB"]))["id"]
    paper = cli_json(cli, "query", path, "paper", pid, "--regions", "split")
    assert snap.paper(pid) == paper["paper"]
    assert snap.authorships(pid) == paper["authorships"]
    assert snap.countries_of_paper(pid, regions="split") == paper["countries"]
    assert len(paper["countries"]) >= 3
    assert [snap.country("China")] == query(cli, path, "country", "China")["results"]
    inst = snap.institutions_of_paper(pid)[-1]
    assert snap.find_institutions(inst["name"]) == \
        query(cli, path, "institution", "--name", inst["name"])["results"]


def test_one_cursor_shared_by_threads_yields_each_paper_once(neurips):
    _, snap = neurips
    expected = sorted(p["id"] for p in snap.papers())
    cursor = snap.papers()
    seen, errors = [], []

    def worker():
        try:
            for p in cursor:
                seen.append(p["id"])
        except Exception as e:  # noqa: BLE001 - any error is the failure
            errors.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(seen) == expected and len(expected) > 5000
