#!/usr/bin/env python3
"""collabgraph report on every NeurIPS paper list.

1. The numbers in the HTML (charts, bars, network, tables, summary cards, rules) equal what
   `stats --json`, `stats --by year --json` and `centrality --json` print for the same filters,
   for the default options and for a filtered run with other rules.
2. The file is self-contained (nothing refers to another file or address), written whole or
   not at all, and the errors have the documented exit codes.
3. Headless Chromium opens it: no console message, every chart has a non-empty box and drawn
   shapes, and the screenshot is not blank and shows each chart's colours inside its box.

Chromium comes from scripts/install-deps.sh. Without it the test is skipped (exit 77), unless
COLLABGRAPH_REQUIRE_DATA=1 or COLLABGRAPH_REQUIRE_CHROMIUM=1 (CI sets the first), when it
fails. The screenshot is left at WORK_DIR/report/report.png for people to look at.

usage: report_test.py COLLABGRAPH_BINARY DATA_DIR WORK_DIR
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser

from testlib import run

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
    return condition


# --- a small DOM ----------------------------------------------------------------------------
class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag=None, **attrs):
        return [n for n in self.iter()
                if (tag is None or n.tag == tag)
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def cells(self):
        return [c for c in self.children if isinstance(c, Node) and c.tag in ("td", "th")]


class DomBuilder(HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text):
    builder = DomBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def has_class(node, name):
    return name in node.attrs.get("class", "").split()


def number(text):
    """'1,234.5%' -> 1234.5"""
    return float(text.replace(",", "").rstrip("%"))


# --- checks of the numbers --------------------------------------------------------------------
def pair_papers(group, a, b):
    lo, hi = sorted((a, b))
    return next((p["papers"] for p in group["pairs"] if (p["a"], p["b"]) == (lo, hi)), 0)


def check_numbers(cli, db, html_path, summary, filters, rules, top, a="US", b="CN"):
    """Compares the report at html_path with the CLI's JSON for the same options."""
    label = " ".join(filters + rules) or "defaults"
    html = open(html_path, encoding="utf-8").read()
    dom = parse_html(html)
    by_year = json.loads(run([cli, "stats", db, "--by", "year", "--json", *filters, *rules]))
    overall = json.loads(run([cli, "stats", db, "--json", *filters, *rules]))
    everything = overall["groups"][0] if "groups" in overall else overall
    bridge = json.loads(run([cli, "centrality", db, "--graph", "institution", "--metric", "bridge",
                             "--between", f"{a},{b}", "--top", str(top), "--json", *filters]))
    brokerage = json.loads(run([cli, "centrality", db, "--graph", "institution", "--metric",
                                "brokerage", "--between", f"{a},{b}", "--top", "0", "--json",
                                *filters]))

    # The --json summary.
    years = [g["key"] for g in by_year["groups"]]
    check(summary["years"] == years, f"{label}: summary years {summary['years']} != {years}")
    check(summary["papers"] == everything["papers"], f"{label}: summary papers")
    check(summary["pair"] == {"a": a, "b": b, "papers": pair_papers(everything, a, b)},
          f"{label}: summary pair {summary['pair']}")
    check(summary["bytes"] == os.path.getsize(html_path), f"{label}: summary bytes")
    check(summary["rules"]["per_year"] == by_year["rules"], f"{label}: summary per-year rules")
    check(summary["rules"]["overall"] == overall["rules"], f"{label}: summary overall rules")

    # Charts: one point per year and series with the share, one bar per year with the counts,
    # a gap band for each run of missing years in each of the three charts.
    points = {(p.attrs["data-series"], p.attrs["data-year"]): float(p.attrs["data-value"])
              for p in dom.find_all("circle") if has_class(p, "point")}
    bars = {g.attrs["data-year"]: g for g in dom.find_all("g") if has_class(g, "bar")}
    check(len(points) == 2 * len(years), f"{label}: {len(points)} points for {len(years)} years")
    check(sorted(bars) == years, f"{label}: bars for {sorted(bars)}")
    for g in by_year["groups"]:
        y, n = g["key"], g["papers"]
        pair = pair_papers(g, a, b)
        want = {"pair": 100.0 * pair / n, "international": 100.0 * g["international_papers"] / n}
        for series, value in want.items():
            got = points.get((series, y))
            check(got is not None and abs(got - value) < 1e-5,
                  f"{label}: {series} share {y}: report {got}, stats {value}")
        bar = bars.get(y)
        if check(bar is not None, f"{label}: no bar for {y}"):
            check((int(bar.attrs["data-papers"]), int(bar.attrs["data-international"]),
                   int(bar.attrs["data-pair"])) == (n, g["international_papers"], pair),
                  f"{label}: bar {y}: {bar.attrs}")
    gaps = []
    for y0, y1 in zip(years, years[1:]):
        if int(y1) - int(y0) > 1:
            gaps.append((str(int(y0) + 1), str(int(y1) - 1)))
    got_gaps = [(r.attrs["data-from"], r.attrs["data-to"]) for r in dom.find_all("rect")
                if has_class(r, "gap")]
    check(got_gaps == gaps * 3, f"{label}: gap bands {got_gaps}, want {gaps} in each chart")
    for path in dom.find_all("path"):
        if has_class(path, "line"):
            check(path.attrs["d"].count("M") == len(gaps) + 1,
                  f"{label}: line {path.attrs['data-series']} has {path.attrs['d'].count('M')} "
                  f"runs for {len(gaps)} gaps")

    # Summary cards (visible text).
    def card(stat):
        node = dom.find_all("div", data_stat=stat)
        value = [n for n in node[0].iter() if has_class(n, "value")] if node else []
        return value[0].text() if value else None
    n = everything["papers"]
    check(card("papers") == f"{n:,}", f"{label}: papers card {card('papers')}")
    check(card("international") == f"{100.0 * everything['international_papers'] / n:.1f}%",
          f"{label}: international card {card('international')}")
    check(card("pair") == f"{100.0 * pair_papers(everything, a, b) / n:.2f}%",
          f"{label}: pair card {card('pair')}")
    check(card("countries") == f"{len(everything['countries']):,}", f"{label}: countries card")

    # Countries table: the first `top` countries of stats, in its order, with its numbers.
    rows = [r for r in dom.find_all("table", id="countries")[0].find_all("tr")
            if "data-code" in r.attrs]
    want = everything["countries"][:top]
    check(len(rows) == len(want), f"{label}: {len(rows)} country rows, want {len(want)}")
    for r, c in zip(rows, want):
        cells = [x.text().strip() for x in r.cells()]
        check(r.attrs["data-code"] == c["code"] and cells[1] == c["code"] + c["name"]
              and number(cells[2]) == c["papers"]
              and cells[4] == f"{100.0 * c['papers'] / n:.1f}%"
              and cells[5] == f"{c['fractional']:,.1f}",
              f"{label}: country row {cells} != {c}")

    # Pairs table.
    rows = [r for r in dom.find_all("table", id="pairs")[0].find_all("tr") if "data-a" in r.attrs]
    want = everything["pairs"][:top]
    check(len(rows) == len(want), f"{label}: {len(rows)} pair rows, want {len(want)}")
    for r, p in zip(rows, want):
        cells = [x.text().strip() for x in r.cells()]
        check(cells[1] == p["a"] + p["b"] and number(cells[2]) == p["papers"]
              and cells[3] == f"{p['fractional']:,.1f}" and cells[4] == f"{p['salton']:.3f}"
              and cells[5] == f"{p['jaccard']:.3f}"
              and cells[6] == f"{p['probabilistic_affinity']:.2f}",
              f"{label}: pair row {cells} != {p}")

    # Bridging institutions: centrality bridge (values > 0) with brokerage's papers and share.
    rows = [r for r in dom.find_all("table", id="institutions")[0].find_all("tr")
            if "data-id" in r.attrs]
    want = [e for e in bridge["results"] if e["value"] > 0][:top]
    broker = {e["id"]: e for e in brokerage["results"]}
    check(len(rows) == len(want), f"{label}: {len(rows)} institution rows, want {len(want)}")
    check(len(want) >= min(top, 5), f"{label}: only {len(want)} bridging institutions")
    for r, e in zip(rows, want):
        cells = [x.text().strip() for x in r.cells()]
        k = broker.get(e["id"], {"value": 0, "share": 0})
        check(int(r.attrs["data-id"]) == e["id"] and cells[1] == e["name"]
              and cells[2] == (e.get("code") or "?") and cells[3] == f"{e['value']:,.1f}"
              and number(cells[5]) == k["value"] and cells[6] == f"{100.0 * k['share']:.1f}%",
              f"{label}: institution row {cells} != {e} / {k}")

    # Network: the largest countries by papers, links with the pairs' papers, the strongest in.
    nodes = {g.attrs["data-code"]: int(g.attrs["data-papers"]) for g in dom.find_all("g")
             if has_class(g, "node")}
    by_papers = sorted(everything["countries"], key=lambda c: -c["papers"])[:25]
    check(set(nodes) == {c["code"] for c in by_papers} | ({a, b} & {
        c["code"] for c in everything["countries"]}),
          f"{label}: network countries {sorted(nodes)}")
    papers_of = {c["code"]: c["papers"] for c in everything["countries"]}
    check(all(papers_of[k] == v for k, v in nodes.items()), f"{label}: network node papers")
    links = {(x.attrs["data-a"], x.attrs["data-b"]): int(x.attrs["data-papers"])
             for x in dom.find_all("line") if has_class(x, "link")}
    among = [p for p in everything["pairs"] if p["a"] in nodes and p["b"] in nodes]
    check(all(pair_papers(everything, *k) == v for k, v in links.items()),
          f"{label}: network link papers")
    strongest = sorted(among, key=lambda p: -p["papers"])[:80]
    check(all((p["a"], p["b"]) in links for p in strongest), f"{label}: strongest links missing")
    check(summary["network"] == {"nodes": len(nodes), "links": len(links)},
          f"{label}: summary network {summary['network']}")

    # Rules: four tables, each equal to the rules of the JSON it comes from.
    tables = [t for t in dom.find_all("table") if has_class(t, "rules")]
    expected = [by_year["rules"], overall["rules"], bridge["rules"], brokerage["rules"]]
    check(len(tables) == 4, f"{label}: {len(tables)} rules tables")
    for t, want_rules in zip(tables, expected):
        got = {r.cells()[0].text(): r.cells()[1].text() for r in t.find_all("tr")}
        check(got == want_rules, f"{label}: rules table {got} != {want_rules}")

    # Self-contained: no address, no file, no script, no external style.
    for pattern in (r"https?:", r"\bsrc\s*=", r"<link\b", r"@import", r"<script\b",
                    r"url\((?!#)", r"<iframe\b", r"<object\b"):
        check(not re.search(pattern, html, re.I), f"{label}: the report contains {pattern}")
    return dom


# --- headless Chromium --------------------------------------------------------------------------
def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(binary, work, url, *args):
    """Runs headless Chromium on url with a fresh profile; returns (stdout, console lines)."""
    profile = os.path.join(work, "chromium-profile")
    shutil.rmtree(profile, ignore_errors=True)
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
           "--force-device-scale-factor=1", "--enable-logging=stderr", "--v=0", *args, url]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    shutil.rmtree(profile, ignore_errors=True)
    if p.returncode != 0:
        sys.exit(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line]
    return p.stdout, console


PROBE = """<script>
(function () {
  var out = {errors: [], charts: []};
  window.addEventListener('error', function (e) { out.errors.push(String(e.message)); });
  function measure() {
    document.querySelectorAll('svg').forEach(function (svg) {
      var r = svg.getBoundingClientRect();
      var shapes = svg.querySelectorAll('path, circle, rect, line');
      var drawn = 0;
      shapes.forEach(function (s) {
        var b = s.getBBox();
        if (b.width > 0 || b.height > 0) drawn++;
      });
      out.charts.push({id: svg.id, x: r.left + window.scrollX, y: r.top + window.scrollY,
                       width: r.width, height: r.height, shapes: shapes.length, drawn: drawn,
                       texts: svg.querySelectorAll('text').length});
    });
    out.width = document.documentElement.scrollWidth;
    out.height = document.documentElement.scrollHeight;
    var pre = document.createElement('pre');
    pre.id = 'cg-probe';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  if (document.readyState === 'complete') measure(); else window.addEventListener('load', measure);
})();
</script>"""


def colour_near(pixels, colour, tolerance=40):
    r0, g0, b0 = colour
    return sum(1 for (r, g, b) in pixels
               if abs(r - r0) + abs(g - g0) + abs(b - b0) <= tolerance)


def hex_colour(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))


def check_in_chromium(binary, work, html_path):
    # The harness must see console output on this Chromium: a page that logs an error and
    # throws must be caught, or a silent report would prove nothing.
    bad = os.path.join(work, "console_error.html")
    with open(bad, "w") as f:
        f.write('<!DOCTYPE html><html><body><script>console.error("cg-console-probe");'
                'throw new Error("cg-uncaught-probe");</script></body></html>')
    _, console = chromium(binary, work, "file://" + bad, "--dump-dom")
    if not (any("cg-console-probe" in c for c in console)
            and any("cg-uncaught-probe" in c for c in console)):
        sys.exit(f"the console check does not work on this Chromium: {console}")

    # The rendered boxes, measured by a probe script in a copy of the report.
    probe_path = os.path.join(work, "report_probe.html")
    html = open(html_path, encoding="utf-8").read()
    with open(probe_path, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", PROBE + "</body>"))
    dom_text, console = chromium(binary, work, "file://" + probe_path, "--window-size=1280,900",
                                 "--virtual-time-budget=5000", "--dump-dom")
    check(not console, f"console messages with the probe: {console}")
    m = re.search(r'<pre id="cg-probe">(.*?)</pre>', dom_text, re.S)
    if not check(m is not None, "the probe did not run"):
        return
    probe = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&")
                       .replace("&lt;", "<").replace("&gt;", ">"))
    check(not probe["errors"], f"errors in the page: {probe['errors']}")
    charts = {c["id"]: c for c in probe["charts"]}
    for chart_id in ("chart-pair", "chart-international", "chart-papers", "network"):
        c = charts.get(chart_id)
        if check(c is not None, f"no rendered svg #{chart_id}"):
            check(c["width"] > 300 and c["height"] > 150,
                  f"#{chart_id} renders {c['width']}x{c['height']}")
            check(c["drawn"] >= 20 and c["drawn"] >= 0.9 * c["shapes"] and c["texts"] >= 5,
                  f"#{chart_id}: {c['drawn']} of {c['shapes']} shapes drawn, {c['texts']} texts")
    check(probe["width"] <= 1280, f"the page is wider than the window: {probe['width']}")

    # The screenshot of the report itself (not the probe copy), the whole page.
    height = int(probe["height"])
    png = os.path.join(work, "report.png")
    if os.path.exists(png):
        os.remove(png)
    started = time.monotonic()
    _, console = chromium(binary, work, "file://" + os.path.abspath(html_path),
                          f"--window-size=1280,{height}", "--virtual-time-budget=5000",
                          f"--screenshot={png}")
    seconds = time.monotonic() - started
    check(not console, f"console messages: {console}")
    if not check(os.path.exists(png), "no screenshot"):
        return
    from PIL import Image
    image = Image.open(png).convert("RGB")
    check(image.size == (1280, height), f"screenshot size {image.size}, want 1280x{height}")
    colours = image.getcolors(maxcolors=1 << 20) or []
    check(len(colours) > 500, f"screenshot has {len(colours)} colours: blank?")
    background = max(colours)[1]
    busy = sum(n for n, c in colours if c != background) / (image.size[0] * image.size[1])
    check(busy > 0.1, f"only {busy:.0%} of the screenshot differs from the background")
    # Inside each chart's box, its own colours (docs: purple pair, teal international, blue and
    # red countries).
    wanted = {"chart-pair": ["#7c3aed"], "chart-international": ["#0d9488"],
              "chart-papers": ["#7c3aed", "#0d9488", "#cbd5e1"],
              "network": ["#2563eb", "#dc2626", "#7c3aed", "#64748b"]}
    for chart_id, hexes in wanted.items():
        c = charts.get(chart_id)
        if c is None:
            continue
        box = (int(c["x"]), int(c["y"]), int(c["x"] + c["width"]), int(c["y"] + c["height"]))
        pixels = list(image.crop(box).getdata())
        for h in hexes:
            found = colour_near(pixels, hex_colour(h))
            check(found >= 30, f"#{chart_id}: {found} pixels of {h} in its box {box}")
    print(f"screenshot {png}: {image.size[0]}x{image.size[1]}, {len(colours)} colours, "
          f"{busy:.0%} non-background, taken in {seconds:.1f} s")


def main():
    cli, data_dir, work = sys.argv[1:4]
    work = os.path.join(work, "report")
    files = sorted(glob.glob(os.path.join(data_dir, "paperlists", "nips", "nips*.json.gz")))
    if not files:
        print(f"no NeurIPS paper lists under {data_dir}; skipping")
        sys.exit(77)
    browser = find_chromium()
    required = "1" in (os.environ.get("COLLABGRAPH_REQUIRE_DATA"),
                       os.environ.get("COLLABGRAPH_REQUIRE_CHROMIUM"))
    if browser is None and required:
        sys.exit("chromium is not installed (scripts/install-deps.sh installs it)")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    db = os.path.join(work, "neurips.db")
    ingest = [cli, "ingest", db, *files]
    universities = os.path.join(data_dir, "reference", "world_universities_and_domains.json.gz")
    if os.path.exists(universities):
        ingest += ["--universities", universities]
    run(ingest)

    # 1. Defaults with Hong Kong, Macao and Taiwan as China, and a filtered run with other rules.
    html_path = os.path.join(work, "report.html")
    started = time.monotonic()
    summary = json.loads(run([cli, "report", db, "-o", html_path, "--regions", "merge", "--json"]))
    seconds = time.monotonic() - started
    check_numbers(cli, db, html_path, summary, ["--regions", "merge"], [], 15)
    filtered_path = os.path.join(work, "filtered.html")
    filters = ["--years", "2005:2021", "--venue", "nips", "--track", "main", "--regions", "split"]
    rules = ["--pair-rule", "bilateral", "--counting", "fractional", "--attribution", "all"]
    filtered = json.loads(run([cli, "report", db, "-o", filtered_path, *filters, *rules,
                               "--top", "8", "--pair", "United States,China", "--json"]))
    check_numbers(cli, db, filtered_path, filtered, filters, rules, 8)
    check(filtered["years"][0] == "2005" and filtered["papers"] < summary["papers"],
          "the filters did not filter")
    # Same database, same options: same bytes.
    again = os.path.join(work, "again.html")
    run([cli, "report", db, "-o", again, "--regions", "merge"])
    check(open(again, "rb").read() == open(html_path, "rb").read(), "two runs differ")

    # 2. Errors: usage (1), data and I/O (2); a failed run leaves the target as it was.
    keep = os.path.join(work, "keep.html")
    with open(keep, "w") as f:
        f.write("previous")
    for args, code in ((["report", db], 1), (["report", db, "-o", keep, "--pair", "US,Atlantis"], 1),
                       (["report", db, "-o", keep, "--by", "year"], 1),
                       (["report", db, "-o", keep, "--top", "0"], 1),
                       (["report", os.path.join(work, "nothing.db"), "-o", keep], 2),
                       (["report", db, "-o", os.path.join(work, "no", "dir", "r.html")], 2),
                       (["report", db, "-o", work], 2)):
        p = subprocess.run([cli, *args], capture_output=True, text=True)
        check(p.returncode == code and p.stderr.startswith("collabgraph: ") and not p.stdout,
              f"{args}: exit {p.returncode} (want {code}), stderr {p.stderr[:200]!r}")
    check(open(keep).read() == "previous", "a failed report changed the target file")
    check(not [f for f in os.listdir(work) if ".tmp" in f], "a temporary file was left behind")
    p = subprocess.run([cli, "report", "--help"], capture_output=True, text=True)
    check(p.returncode == 0 and "--pair A,B" in p.stdout and "--years A:B" in p.stdout,
          "report --help")

    # 3. Headless Chromium.
    if browser is None:
        print("\n".join(FAILURES))
        print("chromium is not installed; skipping the rendering checks")
        sys.exit(1 if FAILURES else 77)
    check_in_chromium(browser, work, html_path)

    if FAILURES:
        print("\n".join(FAILURES[:40]))
        sys.exit(f"{len(FAILURES)} failure(s)")
    print(f"report of {summary['papers']} papers, {len(summary['years'])} years, "
          f"{summary['bytes']} bytes in {seconds:.2f} s (CLI wall time); filtered report "
          f"{filtered['papers']} papers; numbers equal stats and centrality")


if __name__ == "__main__":
    main()
