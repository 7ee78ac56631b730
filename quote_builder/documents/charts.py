"""SVG charts drawn by our code (no charting library): spend against value by contract
year, and the monthly bill at low, expected and high usage.

Every piece of text is XML-escaped; the SVG holds no scripts, links or external
references, so it is safe to inline in the HTML."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from unicodedata import east_asian_width
from xml.sax.saxutils import escape

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 22, 44
SPEND = "#1f4e79"
VALUE = "#8fbf6f"
GRID = "#d9dee5"


def _scale(values: list[Decimal]) -> Decimal:
    """The axis top: four equal steps of a round size (1, 2, 2.5 or 5 x 10^k) above the
    largest value."""
    top = max(values, default=Decimal(0))
    if top <= 0:
        return Decimal(4)
    quarter = top / 4
    magnitude = Decimal(10) ** (quarter.adjusted())
    for step in ("1", "2", "2.5", "5", "10"):
        size = magnitude * Decimal(step)
        if size * 4 >= top:
            return size * 4
    return top


def _grid(ceiling: Decimal, label: Callable[[Decimal], str], axis_title: str) -> list[str]:
    """Grid lines at quarters of the axis, each labelled with its amount (currency sign
    included), and the axis title (the currency) above the labels."""
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 3.5:.1f}" text-anchor="end" font-size="10" '
            f'fill="#4a5563">{escape(label(ceiling * i / 4))}</text>'
        )
    parts.append(
        f'<text x="{LEFT - 6}" y="{TOP - 8}" text-anchor="end" font-size="9" font-weight="600" '
        f'fill="#4a5563">{escape(axis_title)}</text>'
    )
    return parts


def bar_chart(
    groups: list[tuple[str, list[Decimal]]],
    series: list[tuple[str, str]],
    axis_label: Callable[[Decimal], str],
    value_label: Callable[[Decimal], str],
    title: str,
    axis_title: str = "",
) -> str:
    """Grouped bars: ``groups`` is [(group label, [value per series])], ``series`` is
    [(name, colour)]. A group label may hold a second line after a newline (a partial
    year's months)."""
    values = [v for _, vs in groups for v in vs]
    ceiling = _scale(values)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 22}" font-family="QB Sans" '
        f'width="100%" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">',
        # The PDF's Figure takes its alternative text from the title (PDF/UA).
        f"<title>{escape(title)}</title>",
        *_grid(ceiling, axis_label, axis_title),
    ]
    slot = plot_w / max(1, len(groups))
    bar_w = min(56.0, slot * 0.7 / max(1, len(series)))
    for g, (label, vs) in enumerate(groups):
        x0 = LEFT + g * slot + (slot - bar_w * len(series)) / 2
        for s, value in enumerate(vs):
            h = float(plot_h * max(value, Decimal(0)) / ceiling)
            x = x0 + s * bar_w
            y = TOP + plot_h - h
            colour = series[s][1]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x + (bar_w - 4) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="9" '
                f'fill="#1b2430">{escape(value_label(value))}</text>'
            )
        for line_no, line in enumerate(label.split("\n")):
            parts.append(
                f'<text x="{LEFT + g * slot + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16 + 12 * line_no}" '
                f'text-anchor="middle" font-size="{11 if line_no == 0 else 9}" '
                f'fill="{"#1b2430" if line_no == 0 else "#b45309"}">{escape(line)}</text>'
            )
    legend_x: float = LEFT
    for name, colour in series:
        parts.append(
            f'<rect x="{legend_x:.1f}" y="{HEIGHT + 4}" width="10" height="10" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{legend_x + 14:.1f}" y="{HEIGHT + 13}" font-size="10" fill="#1b2430">{escape(name)}</text>'
        )
        legend_x += 24 + _text_width(name, 10)
    parts.append("</svg>")
    return "".join(parts)


def _text_width(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` px: Latin letters about 0.62 em, full-width
    characters (Japanese, Chinese, Korean) a whole em."""
    return sum(size if east_asian_width(ch) in ("W", "F") else size * 0.62 for ch in text)


def informative(values: list[Decimal]) -> bool:
    """Whether bars of these values say more than one number: not a single bar, and not
    all the same height."""
    return len(values) > 1 and len(set(values)) > 1
