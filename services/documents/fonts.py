"""The Cyrillic TrueType font every PDF uses: DejaVu Sans, as matplotlib ships it, so a fresh install
needs no system fonts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fpdf import FPDF

FAMILY = "DejaVu"


@cache
def _font_dir() -> Path:
    # matplotlib's own data directory, found without importing matplotlib.pyplot (slow, and not needed here)
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def add_fonts(pdf: FPDF) -> None:
    """Registers DejaVu Sans (regular and bold) on `pdf` as FAMILY."""
    pdf.add_font(FAMILY, "", str(_font_dir() / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(_font_dir() / "DejaVuSans-Bold.ttf"))
