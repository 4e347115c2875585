"""Time and memory of the RNA import on a national-size extract (generated, 700 MB default).

A national waldec extract holds ~2 million rows; ~2,000 are the territory's. The file is
generated (real header, synthetic rows, the territory's rows at the end), then imported into
a fresh SQLite database in this process; prints rows/s and the peak RSS.

    .venv/bin/python benchmarks/rna_import.py [--megabytes 700] [--inside 2000]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.rna_files import HEADER, rna_row

from workbench.associations.rna import import_rna
from workbench.storage import get_engine
from workbench.storage.migrate import upgrade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=700)
    parser.add_argument("--inside", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rna_waldec.csv"
        outside = rna_row("W751000000", "Association nationale d'exemple", "75056")
        with path.open("w", encoding="utf-8") as handle:
            handle.write(HEADER + "\n")
            block = "\n".join([outside] * 1000) + "\n"
            while handle.tell() < args.megabytes * 1024 * 1024:
                handle.write(block)
            handle.write("\n".join(rna_row(f"W22{n:07d}", f"Association {n}", "22070")
                                   for n in range(args.inside)) + "\n")
        engine = get_engine(f"sqlite:///{Path(folder) / 'b.sqlite'}")
        upgrade(engine)
        started = time.perf_counter()
        report = import_rna(path, engine)
        elapsed = time.perf_counter() - started
        again = time.perf_counter()
        second = import_rna(path, engine)
        reimport = time.perf_counter() - again
    print(json.dumps({"megabytes": args.megabytes, "rows": report.read,
                      "kept": report.new, "import_s": round(elapsed, 1),
                      "rows_per_s": round(report.read / elapsed),
                      "reimport_s": round(reimport, 1), "reimport_unchanged": second.unchanged,
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                           / 1024)}))


if __name__ == "__main__":
    main()
