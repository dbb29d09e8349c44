"""Bar charts drawn in the browser by the vendored Apache ECharts (``static/zeren/charts.js``).

:func:`bar` gives the context of ``templates/_chart.html``: the chart's data as JSON (read by
the script, never inline code, for the Content-Security-Policy) and the same data as a table
beside it, so the figures are readable without the picture (and by screen readers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def bar(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    *,
    headers: Sequence[str],
    table: Sequence[Sequence[Any]],
    unit: str = "",
    levels: Sequence[str | None] = (),
    band: tuple[float, float, str] | None = None,
    warn: tuple[float, float, str] | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> dict[str, Any]:
    """The include context of one bar chart with its table.

    ``values`` are numbers (None: no bar); ``levels`` colour each bar (green, amber, red,
    grey); ``band`` and ``warn`` are (low, high, label) ranges shaded behind the bars, e.g. the
    normal and warning ranges of the sex ratio at birth. ``table`` rows are shown as given.
    """
    data: dict[str, Any] = {
        "kind": "bar",
        "name": title,
        "categories": list(categories),
        "values": [float(v) if v is not None else None for v in values],
        "levels": list(levels),
        "unit": unit,
    }
    if band:
        data["band"] = {"low": float(band[0]), "high": float(band[1]), "label": band[2]}
    if warn:
        data["warn"] = {"low": float(warn[0]), "high": float(warn[1]), "label": warn[2]}
    if minimum is not None:
        data["min"] = minimum
    if maximum is not None:
        data["max"] = maximum
    return {
        "chart_id": chart_id,
        "data_id": f"{chart_id}-data",
        "title": title,
        "data": data,
        "headers": list(headers),
        "table": [list(row) for row in table],
    }
