"""How a source names a show, before shows/identity.py resolves it to a Show."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ShowRef:
    """A show named by a source (e.g. Tudum's "Wednesday" / "Season 2"), resolved by the pipeline
    through shows.identity. create=True lets sources that list the whole catalogue (Tudum,
    FlixPatrol) create shows not seen before; others leave an unmatched name for review."""

    title: str
    season: str = ""
    kind: str = "tv"
    create: bool = False
    # The season is exactly as the source knows it: a seasonless ref is the seasonless show (Tudum's
    # films and "N/A" rows), never "the current season" of a title (what FlixPatrol's bare titles mean).
    exact: bool = False
    # The source's own id of the title (FlixPatrol's slug); matched against the show's stored id first.
    external_id: str = ""
