"""Bar charts drawn on the server as inline SVG: no JavaScript, no CDN.

Only the geometry is computed here; `templates/reports/includes/bar_chart.html` writes the SVG
(escaped by the template engine) with role="img", a title and a description. The page always
shows the data table beside the chart.
"""

from dataclasses import dataclass

# Colours for the series, each at least 3:1 against white and told apart by the legend and
# the white gaps between the segments (not by colour alone: the table gives the numbers).
PALETTE = ("#00594f", "#b35900", "#5b4ba8", "#4d4d4d")

LABEL_WIDTH = 120
BAR_AREA = 440
TOTAL_WIDTH = 50
BAR_HEIGHT = 22
GAP = 10
TOP = 10
LEGEND_HEIGHT = 36


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    value: int
    label: str
    colour: str


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    total: int
    segments: tuple[Segment, ...]

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 5

    @property
    def end_x(self) -> float:
        return LABEL_WIDTH + sum(segment.width for segment in self.segments) + 6


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    x: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    legend_y: float
    label_x: int = LABEL_WIDTH - 8


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    series: list[str],
    rows: list[tuple[str, tuple[int, ...]]],
) -> BarChart:
    """A horizontal bar per row, stacked by series, scaled to the largest row total."""
    largest = max((sum(values) for _, values in rows), default=0) or 1
    bars = []
    for index, (label, values) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for series_index, value in enumerate(values):
            width = BAR_AREA * value / largest
            if value:
                segments.append(
                    Segment(
                        round(x, 1),
                        round(width, 1),
                        value,
                        series[series_index],
                        PALETTE[series_index % len(PALETTE)],
                    )
                )
            x += width
        bars.append(Bar(label, TOP + index * (BAR_HEIGHT + GAP), sum(values), tuple(segments)))
    legend_y = TOP + len(rows) * (BAR_HEIGHT + GAP) + 8
    legend = tuple(
        LegendItem(name, PALETTE[i % len(PALETTE)], LABEL_WIDTH + i * 140)
        for i, name in enumerate(series)
    )
    parts = []
    for label, values in rows:
        split = ", ".join(f"{name} {n}" for name, n in zip(series, values, strict=True))
        parts.append(f"{label}: {sum(values)} ({split})")
    return BarChart(
        id=chart_id,
        title=title,
        description="; ".join(parts) + ".",
        width=LABEL_WIDTH + BAR_AREA + TOTAL_WIDTH,
        height=int(legend_y + LEGEND_HEIGHT),
        bars=tuple(bars),
        legend=legend,
        legend_y=legend_y,
    )
