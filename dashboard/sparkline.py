"""A sparkline as inline SVG, drawn on the server: readable without JavaScript, and only numbers go
into the markup, so no upstream text can reach it."""

from django.utils.html import format_html

WIDTH, HEIGHT, PAD = 80, 20, 2


def sparkline_svg(values: list[float], *, label: str = "", invert: bool = False) -> str:
    """A polyline scaled to the values' range; `invert` draws ranks with 1 at the top."""
    values = [float(v) for v in values if v is not None]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    points = []
    for n, v in enumerate(values):
        share = (v - low) / span
        y = PAD + (share if invert else 1 - share) * (HEIGHT - 2 * PAD)
        points.append(f"{PAD + n * step:.1f},{y:.1f}")
    return format_html(
        '<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}">'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/></svg>',
        w=WIDTH,
        h=HEIGHT,
        label=label,
        points=" ".join(points),
    )
