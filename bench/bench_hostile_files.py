"""Time and peak memory of reading hostile and large results sheets, against a small one.

    .venv/bin/python bench/bench_hostile_files.py [--runs 3]

Each case runs in a fresh Python process (so its peak resident memory is its own): the
reference reads a small valid sheet (60 rows); the others refuse a zip bomb (1 GB of
zeros in about 1 MB), refuse a 60 MB CSV, and read the largest valid files the limits
allow (5,000 rows as XLSX, with a stored dimension that under-reports them, and as CSV).
Only the readers run (no database). Prints the median time, the peak of Python
allocations (tracemalloc) and the process's peak resident memory, each case beside the
reference of the same run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ("reference", "zip-bomb", "csv-60mb", "xlsx-5000-rows", "csv-5000-rows")


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def rows(count: int) -> list[dict[str, object]]:
    meta = [
        {"kind": "fiscal_year", "text": 2568},
        {"kind": "organisation", "text": "องค์การบริหารส่วนตำบลทดสอบ"},
        {"kind": "province", "text": "สระแก้ว"},
        {"kind": "agency_type", "text": "อบต."},
    ]
    body = [
        {"kind": "question", "code": f"i{n}", "label": "ข้อคำถามทดสอบ " * 3, "score": 95.5}
        for n in range(count - len(meta))
    ]
    return meta + body


def with_dimension(data: bytes, ref: str) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
            archive.writestr(entry, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    from ita.sheets import write_xlsx

    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(write_xlsx([("2568", [])]))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entry in source.infolist():
            if entry.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entry, source.read(entry))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(1000):
                sheet.write(b"\0" * 1_000_000)
    return buffer.getvalue()


def build(case: str) -> tuple[str, bytes]:
    from ita.sheets import write_csv, write_xlsx

    if case == "reference":
        return "small.xlsx", write_xlsx([("2568", rows(60))])
    if case == "zip-bomb":
        return "bomb.xlsx", zip_bomb()
    if case == "csv-60mb":
        return "big.csv", b"kind,code,score\r\n" + b"question,i1,95.5\r\n" * 3_500_000
    if case == "xlsx-5000-rows":
        return "large.xlsx", with_dimension(write_xlsx([("2568", rows(5000))]), "A1:G3")
    return "large.csv", write_csv(rows(5000))


def measure(case: str, path: Path, runs: int) -> dict[str, object]:
    """In this process: read the case's file `runs` times; what it cost."""
    from ita.sheets import SheetFileError, read_sheet_file

    name, data = path.name, path.read_bytes()

    def read() -> str:
        try:
            tables = read_sheet_file(name, data)
        except SheetFileError as exc:
            return "refused: " + str(exc).split(" / ")[-1][:50]
        return f"read {sum(len(t.rows) for t in tables)} rows"

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        outcome = read()
        times.append(time.perf_counter() - started)
    # Traced once more, apart: tracing slows Python several times over.
    tracemalloc.start()
    read()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "case": case,
        "file_bytes": len(data),
        "median_s": statistics.median(times),
        "python_peak_mb": peak / 1e6,
        "rss_peak_mb": peak_rss_mb(),
        "outcome": outcome,
    }


def peak_rss_mb() -> float:
    """This process's resident high-water mark (VmHWM: reset by exec, unlike ru_maxrss)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)  # the child's part
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup()
    if args.case:
        print(json.dumps(measure(args.case, args.file, args.runs)))
        return

    results = []
    with tempfile.TemporaryDirectory() as folder:
        for case in CASES:
            # Built here, read there: the child's memory is the reading's alone.
            name, data = build(case)
            path = Path(folder) / name
            path.write_bytes(data)
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--runs",
                    str(args.runs),
                    "--case",
                    case,
                    "--file",
                    path,
                ],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    reference = results[0]
    print(
        f"{'case':<16}{'file':>10}{'median':>10}{'× ref':>8}"
        f"{'py peak':>10}{'RSS peak':>10}{'RSS − ref':>11}  outcome"
    )
    for r in results:
        print(
            f"{r['case']:<16}{r['file_bytes'] / 1e6:>8.2f}MB{r['median_s'] * 1000:>8.1f}ms"
            f"{r['median_s'] / reference['median_s']:>8.1f}"
            f"{r['python_peak_mb']:>8.1f}MB{r['rss_peak_mb']:>8.1f}MB"
            f"{r['rss_peak_mb'] - reference['rss_peak_mb']:>9.1f}MB  {r['outcome']}"
        )


if __name__ == "__main__":
    main()
