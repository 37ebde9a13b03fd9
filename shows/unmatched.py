"""Rule 5 of shows/identity.py: names no rule could match wait on a review list, where an admin says
which show each means (remembered as an alias for its source) or creates the show."""

from django.db import transaction
from django.db.models import Case, F, Value, When

from shows.models import Alias, Show, UnmatchedName
from shows.names import canonical_name


def unmatched_names_update(source_key, names, out, unmatched, now) -> None:
    """Rule 5's review list: new names added, known ones counted, names matched since then closed."""
    resolved = {names[ref].key: show_id for ref, show_id in out.items() if show_id and ref in names}
    keys = set(unmatched) | set(resolved)
    listed = dict(
        UnmatchedName.objects.filter(source_key=source_key, normalized__in=keys).values_list(
            "normalized", "show_id"
        )
    )
    fresh = [
        UnmatchedName(
            source_key=source_key,
            name=name.display,
            normalized=key,
            kind=kind if kind in Show.Kind.values else Show.Kind.TV,
            first_seen=now,
            last_seen=now,
        )
        for key, (name, kind) in unmatched.items()
        if key not in listed
    ]
    if fresh:
        UnmatchedName.objects.bulk_create(fresh, ignore_conflicts=True)
    seen_again = [key for key in unmatched if key in listed]
    if seen_again:
        UnmatchedName.objects.filter(source_key=source_key, normalized__in=seen_again).update(
            times_seen=F("times_seen") + 1, last_seen=now
        )
    closing = {key: show_id for key, show_id in resolved.items() if key in listed and listed[key] is None}
    if closing:
        UnmatchedName.objects.filter(source_key=source_key, normalized__in=closing).update(
            show_id=Case(*(When(normalized=k, then=Value(v)) for k, v in closing.items()))
        )


@transaction.atomic
def unmatched_name_link(*, unmatched: UnmatchedName, show: Show | None) -> Alias | None:
    """Say which show an unmatched name means; remembered as an alias for its source, so every later
    run resolves it. show=None undoes the link."""
    unmatched.show = show
    unmatched.save(update_fields=["show"])
    if show is None:
        Alias.objects.filter(source_key=unmatched.source_key, normalized=unmatched.normalized).delete()
        return None
    alias = Alias.objects.filter(source_key=unmatched.source_key, normalized=unmatched.normalized).first()
    alias = alias or Alias(source_key=unmatched.source_key)
    alias.name, alias.show = unmatched.name, show
    alias.save()
    return alias


@transaction.atomic
def unmatched_name_create_show(*, unmatched: UnmatchedName) -> Show:
    """A name that is a show not known yet (a Kalshi market listed before Tudum ranks it): create it
    (or take the show of that title and season if one appeared meanwhile) and link the name to it."""
    name = canonical_name(unmatched.name, kind=unmatched.kind)
    show = Show.objects.filter(normalized_name=unmatched.normalized).order_by("id").first()
    if show is None:
        show, _ = Show.objects.get_or_create(
            normalized_title=name.title_key,
            season=name.season,
            defaults={"title": name.title, "kind": unmatched.kind},
        )
    unmatched_name_link(unmatched=unmatched, show=show)
    return show
