"""examples/python/us_china.py: its per-year table equals the CLI's numbers (and the C++
example's table, when it is built), and the PNG it draws is a real chart."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT, TINY_2020, TINY_2021, cli_json, tiny_country_sets

EXAMPLE = os.path.join(ROOT, "examples", "python", "us_china.py")


def run_example(*args):
    p = subprocess.run([sys.executable, EXAMPLE, *map(str, args)], capture_output=True,
                       text=True, env=dict(os.environ, MPLBACKEND="Agg"))
    assert p.returncode == 0, p.stderr
    return p.stdout


def table_rows(out):
    """{year: (papers, us_cn_any, share_any, us_cn_bilateral, share_bilateral)} and the total."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("year")) + 1
    rows = {}
    for line in lines[start:]:
        if not line.strip():
            break
        f = line.split()
        rows[f[0]] = (int(f[1]), int(f[3]), float(f[4].rstrip("%")), int(f[5]),
                      float(f[6].rstrip("%")))
    return rows


def check_png(path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image
    import numpy as np

    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(path) > 10_000
    image = matplotlib.image.imread(path)
    assert image.shape[0] >= 300 and image.shape[1] >= 600
    # Lines in two colours on white: many distinct colours, and not mostly one.
    colours = np.unique(image.reshape(-1, image.shape[2]), axis=0)
    assert len(colours) > 50
    red = (image[:, :, 0] > 0.6) & (image[:, :, 1] < 0.35) & (image[:, :, 2] < 0.35)
    blue = (image[:, :, 2] > 0.5) & (image[:, :, 0] < 0.3)
    assert red.sum() > 100 and blue.sum() > 100


def test_table_equals_the_cli_and_the_chart_is_drawn(cli, neurips_db, tmp_path):
    png = tmp_path / "us_china_share.png"
    out = run_example(neurips_db.path, "--png", png)
    rows = table_rows(out)
    any_rule = cli_json(cli, "stats", neurips_db.path, "--by", "year", "--regions", "merge")
    bilateral = cli_json(cli, "stats", neurips_db.path, "--by", "year", "--regions", "merge",
                         "--pair-rule", "bilateral")

    def us_cn(group):
        return next((p["papers"] for p in group["pairs"] if (p["a"], p["b"]) == ("CN", "US")), 0)

    expected = {}
    for g, h in zip(any_rule["groups"], bilateral["groups"]):
        n = g["papers"]
        expected[g["key"]] = (n, us_cn(g), 100 * us_cn(g) / n, us_cn(h), 100 * us_cn(h) / n)
    total = rows.pop("all")
    assert rows.keys() == expected.keys() and len(rows) == len(neurips_db.files)
    for year, want in expected.items():
        got = rows[year]
        assert (got[0], got[1], got[3]) == (want[0], want[1], want[3]), year
        assert got[2] == pytest.approx(want[2], abs=0.006) and \
            got[4] == pytest.approx(want[4], abs=0.006), year
    assert total[0] == sum(w[0] for w in expected.values())
    assert total[1] == sum(w[1] for w in expected.values()) > 100
    check_png(png)

    cpp = os.environ.get("COLLABGRAPH_US_CHINA_NEURIPS")
    if cpp:  # the C++ example prints the same table first
        cpp_out = subprocess.run([cpp, neurips_db.path], capture_output=True, text=True,
                                 check=True).stdout
        assert table_rows(cpp_out) == table_rows(out)


def test_example_ingests_files_it_is_given(tmp_path, tiny_files):
    png = tmp_path / "tiny.png"
    out = run_example(tmp_path / "db", "--png", png, *tiny_files)
    rows = table_rows(out)
    for year, records in (("2020", TINY_2020), ("2021", TINY_2021)):
        sets = tiny_country_sets(records)
        assert rows[year][0] == len(sets)
        assert rows[year][1] == sum(1 for c in sets if {"US", "CN"} <= c)
        assert rows[year][3] == sum(1 for c in sets if c == {"US", "CN"})
    assert png.stat().st_size > 10_000


def test_example_reports_a_missing_database(tmp_path):
    p = subprocess.run([sys.executable, EXAMPLE, str(tmp_path / "none")], capture_output=True,
                       text=True)
    assert p.returncode != 0 and "none" in p.stderr
