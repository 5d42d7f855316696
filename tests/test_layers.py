"""The layers import downwards only: models ← services ← scheduler ← handlers and bot/outbound.

Nothing below the chat imports aiogram, the bot package or the handlers, at the top of a module or
inside a function; the scheduler queues notices and leaves rendering and Telegram to the chat side.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "models": ("aiogram", "bot", "handlers"),
    "services": ("aiogram", "bot", "handlers"),
    "scheduler": ("handlers", "bot.outbound"),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (absolute imports: the project uses no others), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    crossings = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for line, module in imported_modules(path)
        if any(module == above or module.startswith(f"{above}.") for above in FORBIDDEN[layer])
    ]
    assert crossings == []
