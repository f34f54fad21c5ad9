"""Long calls release the GIL: another Python thread keeps running while one computes."""
import threading
import time

import collabgraph


def test_centrality_lets_other_threads_run(neurips_db):
    with collabgraph.Database(neurips_db.path, read_only=True) as db:
        window = {}

        def work():
            window["start"] = time.perf_counter()
            window["result"] = db.centrality("author", "betweenness", samples=300, threads=1)
            window["end"] = time.perf_counter()

        ticks = []
        worker = threading.Thread(target=work)
        worker.start()
        while worker.is_alive():
            ticks.append(time.perf_counter())
        worker.join()
    start, end = window["start"], window["end"]
    inside = [t for t in ticks if start < t < end]
    assert window["result"]["results"] and end - start > 0.05
    # Were the GIL held through the call, this thread could not tick until it returned.
    gaps = [b - a for a, b in zip([start] + inside, inside + [end])]
    assert len(inside) > 100, (len(inside), end - start)
    assert max(gaps) < 0.8 * (end - start), (max(gaps), end - start)
