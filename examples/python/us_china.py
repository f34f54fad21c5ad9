#!/usr/bin/env python3
"""US-China collaboration at NeurIPS, from Python: the per-year table of
examples/us_china_neurips.cc (papers, international share, US-CN papers and share under the
default pair rule -- any US and any CN author -- and under the bilateral rule -- only US and CN
authors), and a chart of the share per year drawn with matplotlib to a PNG.

Hong Kong, Macao and Taiwan count as China (regions="merge"), as in the C++ example: the Paper
Copilot labels of 1987-2016 say "China" for them, resolved affiliations (nips2021) give
HK/MO/TW, so only the merged view counts every year the same way.

usage: us_china.py DB [--png OUT.png] [--universities LIST.json.gz] [FILE...]
  PYTHONPATH=build/bindings/python python3 examples/python/us_china.py neurips.db \\
      --png share.png ../shared/data/paperlists/nips/*.json.gz
"""
import argparse
import sys

import collabgraph


def us_cn(group):
    """Papers of the pair CN-US in one group of stats() (pairs have a < b)."""
    return next((p["papers"] for p in group["pairs"] if (p["a"], p["b"]) == ("CN", "US")), 0)


def percent(part, whole):
    return 100.0 * part / whole if whole else 0.0


def table(db):
    """One row per year: (year, papers, international, US-CN any, US-CN bilateral)."""
    any_rule = db.stats(by="year", regions="merge")
    bilateral = db.stats(by="year", regions="merge", pair_rule="bilateral")
    rows = []
    for g, h in zip(any_rule["groups"], bilateral["groups"], strict=True):
        assert g["key"] == h["key"], "the two per-year results have different years"
        rows.append((int(g["key"]), g["papers"], g["international_papers"], us_cn(g), us_cn(h)))
    return rows, any_rule["rules"]


def print_table(rows, rules):
    print("US-China collaboration at NeurIPS, per year (Hong Kong, Macao, Taiwan as CN)")
    print(f"{'year':<6} {'papers':>7} {'intl%':>7} {'US-CN':>8} {'share%':>8} {'bilateral':>10} "
          f"{'share%':>8}")
    total = [0, 0, 0, 0]
    for year, papers, intl, any_, bilateral in rows:
        print(f"{year:<6} {papers:>7} {percent(intl, papers):>6.1f}% {any_:>8} "
              f"{percent(any_, papers):>7.2f}% {bilateral:>10} {percent(bilateral, papers):>7.2f}%")
        total = [t + v for t, v in zip(total, (papers, intl, any_, bilateral))]
    papers, intl, any_, bilateral = total
    print(f"{'all':<6} {papers:>7} {percent(intl, papers):>6.1f}% {any_:>8} "
          f"{percent(any_, papers):>7.2f}% {bilateral:>10} {percent(bilateral, papers):>7.2f}%")
    print("\nrules: " + "; ".join(f"{k}={v}" for k, v in rules.items()))


def draw(rows, path):
    """The share per year under both pair rules; years without data leave a gap."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4), dpi=120)
    for index, label, color in ((3, "any US and CN author (default)", "#c0392b"),
                                (4, "only US and CN authors (bilateral)", "#2471a3")):
        years, shares = [], []
        for row in rows:
            if years and row[0] != years[-1] + 1:
                years.append(row[0] - 0.5)  # a gap: matplotlib breaks the line at NaN
                shares.append(float("nan"))
            years.append(row[0])
            shares.append(percent(row[index], row[1]))
        ax.plot(years, shares, marker="o", markersize=3, linewidth=1.8, color=color, label=label)
    ax.set_title("US-China papers at NeurIPS, % of all papers (Hong Kong, Macao, Taiwan as China)",
                 fontsize=10)
    ax.set_xlabel("year")
    ax.set_ylabel("share of papers (%)")
    ax.set_ylim(bottom=0)
    ax.grid(True, color="#ddd")
    ax.legend(loc="upper left", frameon=False)
    fig.text(0.01, 0.01, "Gaps: years without data. Rules: docs/methodology.md", fontsize=7,
             color="#555")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("files", nargs="*", help="paper lists to ingest first")
    parser.add_argument("--png", help="write the chart of the share per year here")
    parser.add_argument("--universities", help="the Hipo world universities list (for nips2021)")
    args = parser.parse_intermixed_args(argv)
    try:
        with collabgraph.Database(args.db, read_only=not args.files) as db:
            if args.files:
                db.ingest(args.files, universities=args.universities)
            rows, rules = table(db)
    except collabgraph.Error as e:
        sys.exit(f"us_china.py: {e}")
    print_table(rows, rules)
    if args.png:
        draw(rows, args.png)
        print(f"chart: {args.png}")


if __name__ == "__main__":
    main()
