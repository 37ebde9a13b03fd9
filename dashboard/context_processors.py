"""What every page's frame (templates/base.html) needs: the demo banner and the current nav item."""

from django.conf import settings
from django.http import HttpRequest

# Nav item -> the path prefixes of its pages; the board is "/" exactly.
SECTIONS = (
    ("watchlist", ("/watchlist",)),
    ("sources", ("/sources",)),
    ("forecasts", ("/forecasts",)),
    ("api", ("/api/",)),
    ("admin", ("/admin/",)),
)


def nav_section(path: str) -> str:
    if path == "/":
        return "board"
    for name, prefixes in SECTIONS:
        if path.startswith(prefixes):
            return name
    return ""


def page(request: HttpRequest) -> dict:
    return {"demo": settings.KP_DEMO, "nav": nav_section(request.path)}
