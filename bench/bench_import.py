"""Times the school import: a synthetic school of 1,000 students into a fresh SQLite database.

    python bench/bench_import.py [--students N]

The budget is 10 s on a 2-core box for the first import; the second, of the same file, must change nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from bench.school_generator import make_school_sheets  # noqa: E402
from models.db import create_engine, create_session_maker, upgrade_database  # noqa: E402
from services.school_import import ImportReport, import_path, write_workbook  # noqa: E402

BUDGET_SECONDS = 10.0
TODAY = dt.date(2026, 11, 28)


async def timed_import(session_maker, path: Path) -> tuple[float, ImportReport]:
    started = time.perf_counter()
    async with session_maker() as session:
        report = await import_path(session, path, today=TODAY)
        await session.commit()
    return time.perf_counter() - started, report


async def run(n_students: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        sheets = make_school_sheets(n_students, today=TODAY)
        workbook = Path(folder) / "school.xlsx"
        write_workbook(workbook, sheets)
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/bench.db")
        try:
            await upgrade_database(engine)
            session_maker = create_session_maker(engine)
            first, report = await timed_import(session_maker, workbook)
            second, again = await timed_import(session_maker, workbook)
        finally:
            await engine.dispose()
    if not report.ok or again.changed:
        print("\n".join(report.summary_lines() + again.summary_lines()))
        return 1
    print(
        f"import of {report.created['students']} students, {report.created['parents']} parents, "
        f"{report.created['timetable']} timetable rows: {first:.1f} s; re-import (no-op): {second:.1f} s"
    )
    if first > BUDGET_SECONDS:
        print(f"over the budget of {BUDGET_SECONDS:.0f} s")
        return 1
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    sys.exit(asyncio.run(run(parser.parse_args().students)))


if __name__ == "__main__":
    main()
