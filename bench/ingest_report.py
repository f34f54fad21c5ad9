#!/usr/bin/python3
"""Turns the raw runs of ingest_bench.sh into the table and results.jsonl.

usage: ingest_report.py RAW_JSONL RESULTS_JSONL      (table on stdout)

For each (data set, system, path) the run with the median wall time is reported (runs that
failed are listed but not used). Ratios are CollabGraph wall / peer wall (process wall
times, both measured by /usr/bin/time from process start to exit): below 1.00 is faster.
"""
import json
import sys

MIB = 1 << 20
GIB = 1 << 30

LABELS = {
    ("collabgraph", "record"): ("CollabGraph", "ingest, record-by-record"),
    ("collabgraph", "bulk"): ("CollabGraph", "ingest --bulk"),
    ("collabgraph", "reingest"): ("CollabGraph", "re-ingest, complete DB (parse only)"),
    ("kuzu", "csv_load"): ("Kùzu", "COPY FROM csv"),
    ("duckdb", "csv_load"): ("DuckDB", "COPY FROM csv"),
}
ORDER = [("collabgraph", "record"), ("collabgraph", "bulk"), ("collabgraph", "reingest"),
         ("kuzu", "csv_load"), ("duckdb", "csv_load")]
DATASETS = {"real": "(a) real: every paper list of ../shared/data",
            "synth": "(b) synth: generated papers (synth.py)"}


def fmt(v, digits=0, none="-"):
    if v is None:
        return none
    if digits == 0:
        return f"{round(v):,}"
    return f"{v:,.{digits}f}"


def median_run(runs):
    ok = [r for r in runs if r.get("rc") == 0 and r.get("wall_s") is not None]
    if not ok:
        return None
    ok.sort(key=lambda r: r["wall_s"])
    return ok[(len(ok) - 1) // 2]


def main():
    raw_path, res_path = sys.argv[1], sys.argv[2]
    lines = [json.loads(l) for l in open(raw_path) if l.strip()]
    meta = next((l for l in lines if l.get("record") == "run"), {})
    end = next((l for l in lines if l.get("record") == "end"), {})
    inputs = {l["dataset"]: l for l in lines if l.get("record") == "input"}
    raws = [l for l in lines if l.get("record") == "raw"]
    results = [meta] + ([end] if end else [])
    out = []
    p = out.append

    rep = meta.get("repeat", 1)
    if isinstance(rep, dict):
        rep = ", ".join(f"{k} {v}" for k, v in rep.items())
    p(f"CollabGraph ingest benchmark  {meta.get('date', '')}  host {meta.get('host', '')}, "
      f"{meta.get('cpus')} cores, {meta.get('mem_gib')} GiB")
    p(f"collabgraph: {meta.get('collabgraph_bin')} ({meta.get('build_type') or '?'} build, "
      f"{meta.get('allocator') or 'allocator ?'}, git {meta.get('git_head')}{' + uncommitted changes' if meta.get('git_dirty') else ''}); "
      f"peers: Kùzu {meta.get('kuzu', '?')}, DuckDB {meta.get('duckdb', '?')} "
      f"(node {meta.get('node', '?')}); runs per figure: {rep} (the median by wall time)")
    la = lambda v: "/".join(f"{x:.1f}" for x in v) if v else "?"
    p(f"load average (1/5/15 min) at start {la(meta.get('loadavg_start'))}, at end "
      f"{la(end.get('loadavg_end'))} (other processes share the {meta.get('cpus')} cores); "
      f"finished {end.get('date', '?')}")

    chosen = {}
    for ds in ("real", "synth"):
        runs = [r for r in raws if r["dataset"] == ds]
        if not runs:
            continue
        for key in ORDER:
            sel = [r for r in runs if (r["system"], r.get("path")) == key]
            if sel:
                chosen[(ds, *key)] = (median_run(sel), sel)
        pending = any(r.get("path") == "pending" for r in runs)
        kuzu = (chosen.get((ds, "kuzu", "csv_load")) or (None,))[0]
        duck = (chosen.get((ds, "duckdb", "csv_load")) or (None,))[0]

        inp = inputs.get(ds, {})
        p("")
        if ds == "real":
            head = (f"{DATASETS[ds]} — {inp.get('files', '?')} gzip JSON files, "
                    f"{fmt((inp.get('bytes') or 0) / MIB, 1)} MiB; CollabGraph reads the gzip JSON, "
                    "the peers read CSV tables made from it beforehand (make_graph.py, not timed)")
        else:
            head = (f"{DATASETS[ds]} — {fmt(meta.get('synth_papers'))} papers, 7 CSV tables, "
                    f"{fmt((inp.get('bytes') or 0) / MIB, 1)} MiB; everyone reads the same CSV")
        p(head)
        cols = ["system", "path", "wall s", "CPU s", "papers", "papers/s", "authorships",
                "authorships/s", "peak RSS MiB", "DB MiB", "vs Kùzu", "vs DuckDB"]
        rows = []
        for key in ORDER:
            got = chosen.get((ds, *key))
            if not got:
                continue
            r, sel = got
            name, what = LABELS[key]
            if r is None:
                rows.append([name, what, "FAILED (rc %s, see %s)" % (sel[0].get("rc"), sel[0].get("log"))])
                continue
            wall = r["wall_s"]
            cpu = (r.get("user_s") or 0) + (r.get("sys_s") or 0)
            pap, aut = r.get("papers"), r.get("authorships")
            pps = pap / wall if pap and wall else None
            aps = aut / wall if aut and wall else None
            vk = wall / kuzu["wall_s"] if kuzu else None
            vd = wall / duck["wall_s"] if duck else None
            rows.append([name, what, fmt(wall, 2), fmt(cpu, 2), fmt(pap), fmt(pps), fmt(aut), fmt(aps),
                         fmt(r["maxrss_kib"] / 1024, 0), fmt((r.get("db_bytes") or 0) / MIB, 1)
                         if key[1] != "reingest" else "-",
                         fmt(vk, 2) if key[0] != "kuzu" else "1.00",
                         fmt(vd, 2) if key[0] != "duckdb" else "1.00"])
            res = {"record": "result", "dataset": ds, "system": key[0], "path": key[1],
                   "wall_s": wall, "cpu_s": round(cpu, 2), "papers": pap, "authorships": aut,
                   "papers_per_s": round(pps) if pps else None,
                   "authorships_per_s": round(aps) if aps else None,
                   "maxrss_kib": r["maxrss_kib"], "maxrss_mib": round(r["maxrss_kib"] / 1024, 1),
                   "db_bytes": r.get("db_bytes"), "wall_vs_kuzu": round(vk, 3) if vk else None,
                   "wall_vs_duckdb": round(vd, 3) if vd else None,
                   "runs_wall_s": [x.get("wall_s") for x in sel]}
            if "inner_load_s" in r:
                res["inner_load_s"] = r["inner_load_s"]
                res["per_table_s"] = r.get("per_table_s")
            results.append(res)
        if pending:
            rows.insert(0, ["CollabGraph", "ingest --format csv",
                            "PENDING: this collabgraph has no CSV reader (ingest --format csv)"])
        widths = [max(len(c), *(len(x[i]) for x in rows if len(x) == len(cols) or i < 2))
                  for i, c in enumerate(cols)]
        line = lambda xs: "  ".join(x.ljust(widths[i]) if i < 2 else x.rjust(widths[i])
                                    for i, x in enumerate(xs))
        p(line(cols))
        p(line(["-" * w for w in widths]))
        for x in rows:
            p(line(x) if len(x) == len(cols) else "  ".join([x[0].ljust(widths[0]), x[1].ljust(widths[1]), x[2]]))
        notes = []
        for key in (("kuzu", "csv_load"), ("duckdb", "csv_load")):
            r = (chosen.get((ds, *key)) or (None,))[0]
            if r and r.get("inner_load_s"):
                notes.append(f"{LABELS[key][0]} {r['inner_load_s']:.2f} s")
        if notes:
            p("  peers' load time inside the process (open + schema + COPY + checkpoint, without node "
              "start-up): " + ", ".join(notes))
        p("  papers and authorships: for CollabGraph the stored Paper nodes and AUTHORED edges; "
          "for the peers the rows of papers.csv and authored.csv")

    # ------------------------------------------------------------ goals
    def get(ds, sysname, path):
        return (chosen.get((ds, sysname, path)) or (None,))[0]

    goals = []
    k = get("real", "kuzu", "csv_load")
    for path in ("record", "bulk"):
        c = get("real", "collabgraph", path)
        if k and c:
            goals.append({"goal": f"real, {LABELS[('collabgraph', path)][1]}: all of ../shared/data "
                                  "from gzip JSON no slower than Kùzu's load of the same data from CSV",
                          "ours_s": c["wall_s"], "kuzu_s": k["wall_s"], "kuzu_inner_s": k.get("inner_load_s"),
                          "ratio": round(c["wall_s"] / k["wall_s"], 3), "met": c["wall_s"] <= k["wall_s"]})
    k = get("synth", "kuzu", "csv_load")
    c = get("synth", "collabgraph", "bulk")
    n = fmt(meta.get("synth_papers"))
    if k:
        g = {"goal": f"synth, ingest --bulk: {n} generated papers no slower than Kùzu",
             "kuzu_s": k["wall_s"], "kuzu_inner_s": k.get("inner_load_s")}
        if c:
            g.update(ours_s=c["wall_s"], ratio=round(c["wall_s"] / k["wall_s"], 3),
                     met=c["wall_s"] <= k["wall_s"])
        else:
            g.update(ours_s=None, met=None)
        goals.append(g)
        for path in ("bulk", "record"):
            c = get("synth", "collabgraph", path)
            g = {"goal": f"synth, {LABELS[('collabgraph', path)][1]}: peak memory for {n} papers under 1 GiB",
                 "limit_mib": 1024}
            if c:
                g.update(ours_mib=round(c["maxrss_kib"] / 1024, 1), met=c["maxrss_kib"] * 1024 < GIB)
            else:
                g.update(ours_mib=None, met=None)
            goals.append(g)
    if goals:
        p("")
        p("Goals (wall = process wall time, both sides measured by /usr/bin/time):")
        for g in goals:
            verdict = {True: "MET    ", False: "NOT MET", None: "PENDING"}[g["met"]]
            if "limit_mib" in g:
                detail = ("no measurement (no CSV reader)" if g["ours_mib"] is None else
                          f"{fmt(g['ours_mib'])} MiB of 1,024 MiB")
            elif g.get("ours_s") is None:
                detail = f"Kùzu {g['kuzu_s']:.2f} s; CollabGraph not measured (no CSV reader)"
            else:
                detail = (f"{g['ours_s']:.2f} s vs Kùzu {g['kuzu_s']:.2f} s = {g['ours_s'] / g['kuzu_s']:.2f}x"
                          + (f" (vs Kùzu's in-process {g['kuzu_inner_s']:.2f} s: "
                             f"{g['ours_s'] / g['kuzu_inner_s']:.2f}x)" if g.get("kuzu_inner_s") else ""))
            p(f"  [{verdict}] {g['goal']}: {detail}")
            results.append(dict(record="goal", **g))

    print("\n".join(out))
    with open(res_path, "w") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
