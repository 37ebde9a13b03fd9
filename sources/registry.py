"""The sources: one package each under sources/, listed here in the order of the watchlist's columns.

Adding a source is a package of the same shape as its siblings (spec, client, runner, normalize; a fake
upstream route module and fixtures under tests/) plus one line here. Specs are plain data read at
start-up (settings take their base URLs from them); runners are imported lazily, on first use, so a
broken source cannot break the others.
"""

from functools import cache
from importlib import import_module

from sources.spec import SourceSpec

PACKAGES = [
    "sources.tudum",
    "sources.flixpatrol",
    "sources.kalshi",
    "sources.polymarket",
    "sources.wikipedia",
    "sources.google_trends",
    "sources.youtube",
    "sources.x",
    "sources.reddit",
    "sources.tiktok",
]


class UnknownSource(KeyError):
    pass


def specs() -> dict[str, SourceSpec]:
    """key -> spec of every registered source, in registry order."""
    return _load(tuple(PACKAGES))


@cache
def _load(packages: tuple[str, ...]) -> dict[str, SourceSpec]:
    found: dict[str, SourceSpec] = {}
    for package in packages:
        spec = import_module(f"{package}.spec").SPEC
        if spec.key in found:
            raise ValueError(f"source key {spec.key!r} registered twice ({package})")
        found[spec.key] = spec
    return found


def spec(key: str) -> SourceSpec:
    try:
        return specs()[key]
    except KeyError:
        raise UnknownSource(f"unknown source {key!r}; known: {', '.join(specs())}") from None


def keys() -> list[str]:
    return list(specs())


def get_runner(key: str):
    """A new runner of the source (a sources.base.Runner)."""
    module_name, class_name = spec(key).runner.rsplit(".", 1)
    return getattr(import_module(module_name), class_name)()
