"""A Chart as a PNG: grouped bars or lines over the categories, about 1000×600 px.

matplotlib's object API only (Figure and the Agg canvas, never pyplot): pyplot keeps global figures,
and documents are rendered in worker threads. matplotlib is imported when a chart is drawn, not before:
it is slow to import and most answers draw none. Its default font, DejaVu Sans, has Cyrillic.
"""

from __future__ import annotations

import math
from functools import lru_cache
from io import BytesIO
from typing import TYPE_CHECKING

from services.documents.printed import number_text
from services.reports.document import Chart, ChartKind

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DPI = 120
WIDTH_PX, HEIGHT_PX = 1000, 600
_BARS_SPAN = 0.8  # of the space between two categories, the part a group of bars fills
_HEADROOM = 1.1  # above the axis's top, room for the labels of the tallest bars


@lru_cache(maxsize=16)  # a document's chart is drawn for its workbook, its PDF and the chat: once
def chart_png(chart: Chart) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(chart.title)
    if chart.kind is ChartKind.BARS:
        _draw_bars(axes, chart)
    else:
        _draw_lines(axes, chart)
    _label_categories(axes, chart.categories)
    _scale_values(axes, chart)
    if len(chart.series) > 1:
        axes.legend()
    buffer = BytesIO()
    # No "Software" line: it names matplotlib's version, which is no part of the chart
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _draw_bars(axes: Axes, chart: Chart) -> None:
    width = _BARS_SPAN / max(len(chart.series), 1)
    for place, series in enumerate(chart.series):
        shift = -_BARS_SPAN / 2 + width * (place + 0.5)
        present = [(at, value) for at, value in enumerate(series.values) if value is not None]
        bars = axes.bar(
            [at + shift for at, _ in present], [float(value) for _, value in present], width, label=series.name
        )
        axes.bar_label(bars, labels=[number_text(value) for _, value in present], padding=2, fontsize=8)


def _draw_lines(axes: Axes, chart: Chart) -> None:
    for series in chart.series:
        # NaN breaks the line: a period without a figure is a gap, not a fall to zero
        heights = [math.nan if value is None else float(value) for value in series.values]
        axes.plot(range(len(heights)), heights, marker="o", label=series.name)


def _label_categories(axes: Axes, categories: tuple[str, ...]) -> None:
    crowded = sum(len(name) for name in categories) > 80  # subjects' names, side by side, would overlap
    axes.set_xticks(
        range(len(categories)), categories, rotation=30 if crowded else 0, ha="right" if crowded else "center"
    )


def _scale_values(axes: Axes, chart: Chart) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if chart.upper is None:
        axes.set_ylim(bottom=0)
    else:
        top = float(chart.upper)
        axes.set_ylim(0, top * _HEADROOM)
        axes.set_yticks([tick for tick in MaxNLocator(nbins=6).tick_values(0, top) if 0 <= tick <= top])
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}{chart.unit}".replace(".", ",")))
    axes.grid(axis="y", alpha=0.3)
