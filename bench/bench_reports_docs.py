"""Times the school's documents on a 1,000-student school with a year of data.

    python bench/bench_reports_docs.py [--students 1000] [--postgres URL]

The school (bench.school_generator) is imported into an empty database and every term of its year is
kept as a school keeps it (lessons, marks, absences). Then, on the year's last day, it times
`results` for the whole school, `summary` for every class (each built and rendered as XLSX and PDF, after
a first document that pays for importing the file libraries),
and the whole year-end archive written by `python -m bot archive` in a child process, whose peak
resident memory it reads from the kernel. Goals: `results` for the school under 2 s, the archive
under 60 s, resident memory under 400 MB during the archive.

SQLite (a temporary file) always; PostgreSQL as well when --postgres names a database (emptied first).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from sqlalchemy import select, text  # noqa: E402

from bench.school_generator import fill_term, make_school_sheets, sign_everyone_in  # noqa: E402
from models import Period, SchoolClass  # noqa: E402
from models.db import create_engine, create_session_maker, upgrade_database  # noqa: E402
from services.documents.render import FileFormat, render  # noqa: E402
from services.grades import Scope, current_scope  # noqa: E402
from services.reports.catalogue import build_document  # noqa: E402
from services.reports.request import ReportRequest  # noqa: E402
from services.school_import import import_rows  # noqa: E402
from tests.conftest import reset_postgres  # noqa: E402

YEAR_START = dt.date(2026, 9, 1)
LAST_DAY = dt.date(2027, 5, 26)  # the fourth четверть's last day (services.demo_school.quarter_rows)
GOALS = {"results (school)": 2.0, "archive": 60.0}
MEMORY_GOAL_MB = 400


async def build(url: str, students: int) -> str:
    engine = create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            await reset_postgres(engine)
        await upgrade_database(engine)
        rng = random.Random(students)
        async with create_session_maker(engine)() as session:
            report = await import_rows(session, make_school_sheets(students, today=YEAR_START), today=YEAR_START)
            assert report.ok, report.problems
            await session.commit()
        await sign_everyone_in(engine, rng)
        async with engine.connect() as connection:
            ends = list(await connection.scalars(select(Period.end).order_by(Period.start)))
        lessons = marks = 0
        for end in ends:  # each term up to its last day: a year of the journal
            term = await fill_term(engine, min(end, LAST_DAY), rng)
            lessons, marks = lessons + term.lessons, marks + term.marks
        if engine.dialect.name == "postgresql":
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
    return f"{students} students; a year of {lessons:,} lessons and {marks:,} marks"


async def timed_documents(url: str) -> dict[str, float]:
    """Seconds to build and render `results` for the school, and `summary` for every class (both formats)."""
    engine = create_engine(url)
    figures = {}
    try:
        async with create_session_maker(engine)() as session:
            term = await current_scope(session, LAST_DAY)
            scope = Scope(term.year, None, term.periods)  # the whole year
            classes = list(await session.scalars(select(SchoolClass.id).order_by(SchoolClass.name)))
            # The first document after a start imports the file libraries (openpyxl, fpdf2, matplotlib:
            # about a second, once a process); it is timed apart, then `results` as any later request.
            started = time.perf_counter()
            first = ReportRequest("summary", scope, LAST_DAY, class_id=classes[0], made_on=LAST_DAY)
            document = await build_document(session, first)
            for fmt in FileFormat:
                await asyncio.to_thread(render, document, fmt)
            figures["first document after a start (summary of a class)"] = time.perf_counter() - started
            started = time.perf_counter()
            document = await build_document(session, ReportRequest("results", scope, LAST_DAY, made_on=LAST_DAY))
            for fmt in FileFormat:
                await asyncio.to_thread(render, document, fmt)
            figures["results (school)"] = time.perf_counter() - started
            started = time.perf_counter()
            for class_id in classes:
                request = ReportRequest("summary", scope, LAST_DAY, class_id=class_id, made_on=LAST_DAY)
                document = await build_document(session, request)
                for fmt in FileFormat:
                    await asyncio.to_thread(render, document, fmt)
            figures[f"summary ({len(classes)} classes)"] = time.perf_counter() - started
    finally:
        await engine.dispose()
    return figures


def timed_archive(url: str, folder: Path) -> tuple[float, float, int]:
    """Seconds, peak resident MB of the child and the number of files of `python -m bot archive`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "archive"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, "-m", "bot", "archive", "--year", str(YEAR_START.year), "--out", str(out)],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"archive failed:\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest of them all (kB on Linux): this child is the only one
    # that reads a whole year, so the figure is its own unless an earlier child was larger.
    if peak == before and before:
        print("  (peak memory below an earlier child's: the figure is an upper bound)")
    return seconds, peak / 1024, sum(1 for path in out.rglob("*") if path.is_file())


async def bench(url: str, label: str, students: int, folder: Path) -> list[str]:
    print(f"{label}: {await build(url, students)}")
    misses = []
    for name, seconds in (await timed_documents(url)).items():
        print(f"  {name}: {seconds:.2f} s")
        if name in GOALS and seconds > GOALS[name]:
            misses.append(f"{label}: {name} {seconds:.2f} s (goal {GOALS[name]} s)")
    seconds, megabytes, files = timed_archive(url, folder)
    print(f"  archive: {seconds:.1f} s, {files} files, peak resident memory {megabytes:.0f} MB")
    if seconds > GOALS["archive"]:
        misses.append(f"{label}: archive {seconds:.1f} s (goal {GOALS['archive']} s)")
    if megabytes > MEMORY_GOAL_MB:
        misses.append(f"{label}: archive memory {megabytes:.0f} MB (goal {MEMORY_GOAL_MB} MB)")
    return misses


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL database to use as well (emptied)")
    options = parser.parse_args()
    misses = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench-docs.db"
        misses += await bench(url, "sqlite", options.students, Path(folder) / "sqlite")
        if options.postgres:
            misses += await bench(options.postgres, "postgresql", options.students, Path(folder) / "postgresql")
    one, five, _ = os.getloadavg()
    print(f"load average {one:.1f} {five:.1f} on {os.cpu_count()} CPUs")
    for miss in misses:
        print(f"over the goal: {miss}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
