"""An edit of a schedule in Django admin reaches a running beat process without a restart."""

import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.processes import process_env, start_beat

pytestmark = [pytest.mark.processes]
SENT = r"\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+)[^\]]*\][^\n]*Sending due task wikipedia: pageviews"


def admin_form_data(html: str) -> dict:
    """The values a browser would submit for the admin change form."""
    form = BeautifulSoup(html, "html.parser").find("form", id=re.compile("_form$"))
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.name == "textarea":
            data[name] = field.text
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def test_an_admin_edit_changes_beats_cadence_without_a_restart(transactional_db, sources_ready, admin_client):
    task = PeriodicTask.objects.get(name="wikipedia: pageviews")
    PeriodicTask.objects.exclude(pk=task.pk).update(enabled=False)
    task.last_run_at = timezone.now()  # hourly and just run: not due while beat starts
    task.save()
    beat = start_beat(process_env())
    try:
        beat.wait_for_log(r"DatabaseScheduler: Fetching database schedule", timeout=30)
        assert not re.findall(SENT, beat.log())

        every_2s, _ = IntervalSchedule.objects.get_or_create(every=2, period="seconds")
        url = f"/admin/django_celery_beat/periodictask/{task.pk}/change/"
        data = admin_form_data(admin_client.get(url).content.decode())
        data["interval"] = str(every_2s.pk)
        response = admin_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]

        # An hourly task that has just run is not due again for an hour: sent four times now, it runs
        # on the edited cadence, picked up by the running beat (no assertion on the gaps' seconds).
        beat.wait_for_log(SENT, count=4, timeout=40)
        assert PeriodicTask.objects.get(pk=task.pk).interval_id == every_2s.pk
    finally:
        beat.stop()
