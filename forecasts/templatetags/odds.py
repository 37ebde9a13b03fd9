"""One unit for prices and probabilities: percent (issue 20).

A Kalshi yes price in dollars is the market's probability (a contract pays $1), so 0.73 is shown as
"73%", beside our probability in the same unit; edges and EV per contract are differences in that unit.
The trader reads one scale on /forecasts instead of ¢, %, 0.725 and 0.0123 mixed.
"""

from django import template

register = template.Library()
MINUS = "\u2212"  # a typographic minus: as wide as the plus, so signed columns line up


@register.filter
def pct(value, spec: str = "") -> str:
    """0.725 -> "72.5%". `spec`: "+" signs it ("+12.5%", "−3%"), a digit sets the decimals (default 1;
    trailing zeros dropped). None or "" (a missing key in a template) -> "–". A value that rounds to 0% or
    100% but is not is shown as "<0.1%" / ">99.9%": a price of exactly 0 or 1 means something else."""
    if value is None or value == "":
        return "–"
    digits = int(next((c for c in spec if c.isdigit()), "1"))
    number = float(value) * 100
    step = 10**-digits
    if "+" not in spec and 0 < number < step / 2:
        return f"<{step:.{digits}f}%"
    if "+" not in spec and 100 - step / 2 < number < 100:
        return f">{100 - step:.{digits}f}%"
    text = f"{abs(number):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("0", ""):
        return "0%"
    sign = ("+" if number > 0 else MINUS) if "+" in spec else ("" if number >= 0 else MINUS)
    return f"{sign}{text}%"
