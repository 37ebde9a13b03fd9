"""One canonical show per title and season, whatever spelling a source uses.

A ref (a name a source gave, see sources.base.ShowRef) is tried in this order; shows/names.py defines
the keys:
1. An Alias of that name for this source, then one for any source (written when someone links an
   unmatched name in the admin).
   Then the source's own id of the title (FlixPatrol's slug, stored on the show: set in admin or
   learned the first time the name matched): it names the series, so a seasonless ref goes to the
   title's current season.
2. The show whose full season title has the ref's name key: Tudum's "Wednesday" + "Season 2" and
   Kalshi's "Wednesday: Season 2" both meet the show ("Wednesday", "Season 2"). A seasonless ref
   that is not exact (FlixPatrol's "Stranger Things") meeting a show that keeps no season (below)
   goes on to rule 4: a daily chart names the series, i.e. its current season.
3. A ref naming a season of a title whose show is still seasonless (a watchlist entry such as the
   starter "Wednesday", or a FlixPatrol title seen before Tudum): the seasonless show *takes* that
   season, so the watched show's signals and the season's ranks stay on one row. It takes only the
   newest season named in the run, and only one newer than every known season of the title; older
   seasons (Season 1 in the same Tudum file) become shows of their own.
   Never a show that *keeps no season*: one an exact seasonless ref (Tudum's "N/A" row, which is
   how Netflix lists some first seasons: "Stranger Things" beside "Stranger Things 2") named in an
   earlier run. Its weeks are that name's; moving them to a later season would make the title
   resolve by which weeks were loaded first, and a rerun would split them again. A show that takes
   a season in the run that first names it exactly leaves those seasonless rows to a new show.
   So a Tudum row resolves by its name alone: the same show whatever order the weeks arrive in
   (which show is *watched* may differ; the rows of each name do not).
4. A seasonless ref (FlixPatrol's "Wednesday") of a title known only by its seasons: the current
   season, the one with the highest number (ties: the one created last), of the ref's kind (a film
   named like a series stays a film). Not for an exact ref (Tudum's films and "N/A" rows), which is
   the seasonless show itself. Films are never split into title and season.
5. Otherwise a new show when the source may create shows (ref.create: Tudum, FlixPatrol); if not,
   the name goes on the UnmatchedName review list (shows/unmatched.py), recorded once per source and
   counted once per run.

A watchlist show added by hand *beside* known seasons keeps its own row (an exact seasonless match
wins) until the title's next season appears, which it then takes (rule 3).

show_refs_resolve runs a fixed number of queries whatever the number of refs.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from shows.models import Alias, Show
from shows.names import Name, canonical_name, normalize_title, season_order
from shows.refs import ShowRef
from shows.unmatched import unmatched_names_update


@transaction.atomic
def show_refs_resolve(*, source_key: str, refs: set[ShowRef]) -> dict[ShowRef, int | None]:
    """Map each ref to the id of its canonical show, or None when it names no show yet."""
    now = timezone.now()
    names = {ref: canonical_name(ref.title, ref.season, kind=ref.kind) for ref in refs}
    names = {ref: name for ref, name in names.items() if name.key}
    out: dict[ShowRef, int | None] = dict.fromkeys(refs)
    keys = {name.key for name in names.values()}
    if not keys:
        return out
    aliases = _alias_ids(source_key, keys)
    id_field = EXTERNAL_ID_FIELDS.get(source_key)
    by_external = _external_id_titles(id_field, {r.external_id for r in names if r.external_id})
    title_keys = {n.title_key for n in names.values()} | {s.normalized_title for s in by_external.values()}
    shows = Show.objects.filter(Q(normalized_name__in=keys) | Q(normalized_title__in=title_keys)).only(
        "id", "title", "season", "kind", "normalized_title", "normalized_name", "keeps_no_season"
    )
    by_key: dict[str, Show] = {}
    by_title: dict[str, list[Show]] = defaultdict(list)
    for show in sorted(shows, key=lambda s: s.id):
        by_key.setdefault(show.normalized_name, show)
        by_title[show.normalized_title].append(show)

    for ref, name in names.items():
        found = (
            aliases.get(name.key)
            or _by_external_id(ref, by_external, by_title)
            or _by_name(ref, name, by_key, by_title)
        )
        out[ref] = found.id if isinstance(found, Show) else found
    pending = [ref for ref in names if out[ref] is None]
    seasons_named = [(r, names[r]) for r in pending if names[r].season]
    promoted = _seasonless_take_seasons(seasons_named, by_title, out)
    # A seasonless show no exact ref had named yet (the watched "Stranger Things") that follows a
    # season named in this run leaves this run's exact seasonless rows ("N/A") to a show of their own.
    promoted_ids = {show.id for show in promoted}
    for ref, name in names.items():
        if _names_seasonless_exactly(ref, name) and out[ref] in promoted_ids and name.key not in aliases:
            out[ref] = None
            pending.append(ref)
    if promoted:  # before creating: the seasonless (title, "") the released rows need is free now
        Show.objects.bulk_update(promoted, ["season", "normalized_name", "updated_at"])

    new_shows: dict[str, Show] = {}  # name key -> show to create
    waiting: dict[ShowRef, str] = {}  # ref -> name key of a show created below
    unmatched: dict[str, tuple[Name, str]] = {}
    for ref in sorted(pending, key=lambda r: not names[r].season):  # seasons first: rule 4 sees them
        if out[ref] is not None:
            continue
        name = names[ref]
        seasonless_means_current = not name.season and not ref.exact
        current = (
            _current_season(name.title_key, ref.kind, by_title, new_shows)
            if seasonless_means_current
            else None
        )
        if current is not None and current.id is not None:
            out[ref] = current.id
        elif current is not None:
            waiting[ref] = current.normalized_name
        elif ref.create:
            new_shows.setdefault(name.key, _new_show(name, ref.kind, now))
            waiting[ref] = name.key
        else:
            unmatched.setdefault(name.key, (name, ref.kind))

    created = _create(new_shows)
    for ref, key in waiting.items():
        out[ref] = created.get(key)
    # Shows found or created for exact seasonless refs keep no season from now on (one query).
    claimed = {out[r] for r, n in names.items() if _names_seasonless_exactly(r, n) and out[r]}
    if claimed:
        Show.objects.filter(pk__in=claimed, season="", keeps_no_season=False).update(keeps_no_season=True)
    if id_field:
        _external_ids_remember(id_field, names, out, by_external)
    unmatched_names_update(source_key, names, out, unmatched, now)
    return out


# A source's own id of a title, stored on the show (editable in admin): a name that differs between
# sources still lands on the right show once the id is known.
EXTERNAL_ID_FIELDS = {"flixpatrol": "flixpatrol_slug"}


def _external_id_titles(id_field: str | None, ids: set[str]) -> dict[str, Show]:
    """external id -> a show holding it (for its title: the id names the series, not one season)."""
    if not id_field or not ids:
        return {}
    rows = Show.objects.filter(**{f"{id_field}__in": ids}).only("id", id_field, "normalized_title", "kind")
    return {getattr(s, id_field): s for s in sorted(rows, key=lambda s: s.id)}


def _by_external_id(ref: ShowRef, by_external: dict[str, Show], by_title) -> Show | None:
    """The show of a title found by id: its current season when the ref is seasonless."""
    holder = by_external.get(ref.external_id) if ref.external_id else None
    if holder is None:
        return None
    if not ref.season and not ref.exact:
        return _current_season(holder.normalized_title, holder.kind, by_title, {}) or holder
    return holder


def _external_ids_remember(id_field: str, names, out, by_external: dict[str, Show]) -> None:
    """Store the id on the show a name resolved to, when no show holds it yet (one query)."""
    learn = {
        out[ref]: ref.external_id
        for ref in names
        if ref.external_id and out.get(ref) and ref.external_id not in by_external
    }
    if not learn:
        return
    shows = Show.objects.filter(pk__in=learn, **{id_field: ""})
    shows.update(**{id_field: Case(*(When(pk=pk, then=Value(v)) for pk, v in learn.items()))})


def _alias_ids(source_key: str, keys: set[str]) -> dict[str, int]:
    """name key -> show id; an alias for this source wins over one for any source."""
    rows = Alias.objects.filter(source_key__in={source_key, ""}, normalized__in=keys)
    ordered = sorted(rows.values_list("source_key", "normalized", "show_id"), key=lambda r: r[0] != "")
    return {key: show_id for _, key, show_id in ordered}


def _names_seasonless_exactly(ref: ShowRef, name: Name) -> bool:
    """Tudum's "N/A" rows: the source always says the season, and says there is none."""
    return ref.exact and not name.season


def _by_name(ref: ShowRef, name: Name, by_key: dict[str, Show], by_title) -> Show | None:
    """Rule 2: the show of the ref's name key. A bare title from a source that does not say the
    season (FlixPatrol, a daily chart) means the current season, so a show that keeps no season
    (Tudum's "Stranger Things" of 2016, "N/A") gives way to the title's newest named season."""
    show = by_key.get(name.key)
    if show is not None and show.keeps_no_season and not name.season and not ref.exact:
        return _current_season(name.title_key, ref.kind, by_title, {}) or show
    return show


def _seasonless_take_seasons(items: list[tuple[ShowRef, Name]], by_title, out) -> list[Show]:
    """Rule 3: a title's seasonless show becomes its newest named season (changes by_title and out),
    unless it keeps no season (an exact seasonless ref named it in an earlier run)."""
    per_title: dict[str, list[tuple[ShowRef, Name]]] = defaultdict(list)
    for ref, name in items:
        per_title[name.title_key].append((ref, name))
    promoted = []
    for title_key, named in per_title.items():
        shows = by_title[title_key]
        seasonless = next(
            (s for s in shows if not s.season and s.kind == Show.Kind.TV and not s.keeps_no_season),
            None,
        )
        if seasonless is None:
            continue
        newest = max((n for _, n in named), key=lambda n: (season_order(n.season), n.season))
        known = [season_order(s.season) for s in shows if s.season]
        if known and season_order(newest.season) <= max(known):
            continue
        seasonless.season, seasonless.normalized_name = newest.season, newest.key
        seasonless.updated_at = timezone.now()
        promoted.append(seasonless)
        for ref, name in named:
            if name.key == newest.key:
                out[ref] = seasonless.id
    return promoted


def _current_season(title_key: str, kind: str, by_title, new_shows: dict[str, Show]) -> Show | None:
    """Rule 4: the title's season with the highest number, counting seasons about to be created.
    Only of the ref's kind: a film is never a season of a series of the same name."""
    seasons = [s for s in by_title[title_key] if s.season and s.kind == kind]
    seasons += [
        s for s in new_shows.values() if s.season and s.kind == kind and s.normalized_title == title_key
    ]
    if not seasons:
        return None
    return max(seasons, key=lambda s: (season_order(s.season), s.id is None, s.id or 0))


def _new_show(name: Name, kind: str, now) -> Show:
    # bulk_create skips Show.save, so the keys are set here as save() would set them.
    return Show(
        title=name.title,
        season=name.season,
        kind=kind if kind in Show.Kind.values else Show.Kind.TV,
        normalized_title=normalize_title(name.title),
        normalized_name=name.key,
    )


def _create(new_shows: dict[str, Show]) -> dict[str, int]:
    """Insert the new shows; one created meanwhile by another run is used, not duplicated."""
    if not new_shows:
        return {}
    Show.objects.bulk_create(new_shows.values(), ignore_conflicts=True)
    rows = Show.objects.filter(normalized_name__in=new_shows).order_by("id")
    ids: dict[str, int] = {}
    for key, show_id in rows.values_list("normalized_name", "id"):
        ids.setdefault(key, show_id)
    return ids
