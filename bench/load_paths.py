"""One load path on a corpus, in a process of its own so that its peak RSS is its own:
`python -m bench.load_paths LOADER DB LIST` (LOADER one of bench.csv_load.LOADERS; LIST a
file of document paths, one a line).

It loads as the ingest command line does (its connection and memory limit, ensure_schema,
then one document after another prepared and loaded in batches of BATCH_DOCUMENTS documents
or BATCH_ROWS rows, the whole run one transaction), but parses in the same process, one
document at a time: the parse is timed apart and is not part of the load. Prints one JSON line: documents, rows, and the seconds of
parse, prepare (column_slice or encode_slice) and load (schema, load per batch, commit), and
the process's peak RSS."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ingest.cli import BATCH_DOCUMENTS, BATCH_ROWS
from bench.csv_load import LOADERS
from ingest.core.load import connect, ensure_schema
from ingest.registry import parse_source, read_source


def main(argv: list[str]) -> int:
    loader, db, listing = LOADERS[argv[0]], Path(argv[1]), Path(argv[2])
    paths = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    parse = prepare = load = 0.0
    rows = 0
    connection = connect(db)
    start = time.perf_counter()
    connection.execute("begin transaction")
    ensure_schema(connection)
    load += time.perf_counter() - start
    batch, batch_rows = [], 0
    for path in paths:
        start = time.perf_counter()
        parsed = parse_source(read_source(path), str(path))
        parse += time.perf_counter() - start
        start = time.perf_counter()
        prepared = loader.prepare(parsed.document, parsed.rows())
        prepare += time.perf_counter() - start
        count = sum(t.row_count for t in prepared.tables)
        rows += count
        batch.append(prepared)
        batch_rows += count
        del parsed, prepared  # only the batch stays, as in the ingest
        if len(batch) >= BATCH_DOCUMENTS or batch_rows >= BATCH_ROWS:
            start = time.perf_counter()
            loader.load(connection, batch)
            load += time.perf_counter() - start
            batch, batch_rows = [], 0
    start = time.perf_counter()
    loader.load(connection, batch)
    connection.execute("commit")
    load += time.perf_counter() - start
    connection.close()
    print(json.dumps({"loader": loader.name, "documents": len(paths), "rows": rows, "parse": parse,
                      "prepare": prepare, "load": load, "peak_rss_kib": _peak_rss_kib()}))
    return 0


def _peak_rss_kib() -> int | None:
    """This process's own peak resident set (VmHWM). Not wait4's ru_maxrss: Linux carries that
    over from the process that forked this one, so a small child of a large benchmark process
    reports the benchmark's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
