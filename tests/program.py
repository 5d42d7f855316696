"""Run the real program, `python -m bot …`, as a subprocess with a controlled environment.

The child runs in a temporary folder with none of the developer's settings: no `.env` is read and
nothing lands in the project's `data/`. Only the settings a test passes reach it.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings

SETTING_KEYS = frozenset(name.upper() for name in Settings.model_fields)
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def program_env(**settings: str) -> dict[str, str]:
    """This process's environment without any bot setting, plus the given ones (KEY=value)."""
    env = {key: value for key, value in os.environ.items() if key not in SETTING_KEYS}
    env["PYTHONIOENCODING"] = "utf-8"  # names are Cyrillic; the child must not depend on the locale
    # This checkout's code, whatever the installed copy is (the child runs in another folder).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    env.update(settings)
    return env


def program_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot", *args]


def run_program(
    *args: str, cwd: Path, env: dict[str, str], stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        program_args(*args),
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


async def run_program_async(*args: str, cwd: Path, env: dict[str, str], timeout: float = 120) -> Finished:
    """For tests whose event loop must keep serving (a fake Bot API) while the program runs."""
    process = await asyncio.create_subprocess_exec(
        *program_args(*args),
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        process.kill()  # never leave a stray bot behind a failed test
        await process.wait()
        raise
    assert process.returncode is not None
    return Finished(process.returncode, stdout.decode(), stderr.decode())
