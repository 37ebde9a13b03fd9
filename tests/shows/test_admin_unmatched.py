"""The review list in the admin: a staff user links an unmatched name to a show from the list, and
every later resolve maps the name to that show."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from shows.identity import show_refs_resolve
from shows.models import Alias, Show, UnmatchedName
from shows.refs import ShowRef

pytestmark = pytest.mark.django_db
HAWK = ShowRef("The Hawk: Season 1", "", "tv", create=False)
CHANGELIST = reverse("admin:shows_unmatchedname_changelist")


@pytest.fixture
def staff_client(client):
    user = User.objects.create_user("reviewer", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_unmatchedname", "change_unmatchedname", "view_show", "add_show"]
        )
    )
    client.force_login(user)
    return client


@pytest.fixture
def hawk_listed() -> UnmatchedName:
    assert show_refs_resolve(source_key="kalshi", refs={HAWK}) == {HAWK: None}
    return UnmatchedName.objects.get()


def link_from_the_list(client, unmatched: UnmatchedName, show: Show | None):
    """What the changelist's Save button posts for one edited row."""
    return client.post(
        CHANGELIST,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(unmatched.pk),
            "form-0-show": str(show.pk) if show else "",
            "_save": "Save",
        },
    )


def test_the_review_list_shows_unmatched_names_with_counts(staff_client, hawk_listed):
    page = staff_client.get(CHANGELIST, {"linked": "no"})
    assert page.status_code == 200
    assert "The Hawk: Season 1" in page.content.decode()
    assert 'name="form-0-show"' in page.content.decode()  # the show is chosen right in the list


def test_linking_a_name_in_the_list_makes_later_runs_resolve_it(staff_client, hawk_listed):
    show = Show.objects.create(title="Hawk", season="Season 1")  # a spelling the rules do not meet
    reply = link_from_the_list(staff_client, hawk_listed, show)
    assert reply.status_code == 302, reply.content.decode()[:2000]
    hawk_listed.refresh_from_db()
    assert hawk_listed.show == show
    alias = Alias.objects.get()
    assert (alias.source_key, alias.name, alias.normalized, alias.show) == (
        "kalshi",
        "The Hawk: Season 1",
        "the hawk season 1",
        show,
    )
    assert show_refs_resolve(source_key="kalshi", refs={HAWK}) == {HAWK: show.id}
    assert UnmatchedName.objects.get().times_seen == 1  # resolved names are no longer counted


def test_unlinking_forgets_the_alias(staff_client, hawk_listed):
    show = Show.objects.create(title="Hawk", season="Season 1")
    link_from_the_list(staff_client, hawk_listed, show)
    link_from_the_list(staff_client, hawk_listed, None)
    assert not Alias.objects.exists()
    assert show_refs_resolve(source_key="kalshi", refs={HAWK}) == {HAWK: None}


def test_the_create_action_makes_a_show_of_the_name_and_links_it(staff_client, hawk_listed):
    reply = staff_client.post(
        CHANGELIST, {"action": "create_shows", "_selected_action": [hawk_listed.pk], "index": 0}
    )
    assert reply.status_code == 302
    show = Show.objects.get()
    assert (show.title, show.season, show.on_watchlist) == ("The Hawk", "Season 1", False)
    assert show_refs_resolve(source_key="kalshi", refs={HAWK}) == {HAWK: show.id}


def test_the_show_page_lists_its_aliases(admin_client, hawk_listed):
    show = Show.objects.create(title="Hawk", season="Season 1")
    Alias.objects.create(source_key="kalshi", name="The Hawk: Season 1", show=show)
    page = admin_client.get(reverse("admin:shows_show_change", args=[show.pk]))
    assert page.status_code == 200 and "The Hawk: Season 1" in page.content.decode()
