"""One canonical show per title and season, whatever spelling a source uses."""

from django.db import transaction

from sources.base import ShowRef

from .models import Show, normalize_title


@transaction.atomic
def show_refs_resolve(*, source_key: str, refs: set[ShowRef]) -> dict[ShowRef, int | None]:
    """Map each ref to a show id: by normalized title and season; created when ref.create allows."""
    keys = {(normalize_title(r.title), r.season.strip()) for r in refs}
    known = {
        (s.normalized_title, s.season): s.id
        for s in Show.objects.filter(normalized_title__in={k[0] for k in keys})
    }
    out: dict[ShowRef, int | None] = {}
    for ref in refs:
        key = (normalize_title(ref.title), ref.season.strip())
        if key not in known and ref.create:
            show = Show.objects.create(title=ref.title.strip(), season=key[1], kind=ref.kind)
            known[key] = show.id
        out[ref] = known.get(key)
    return out
