"""An edit of a schedule in Django admin reaches a running beat process without a restart."""

import re
from datetime import datetime, timedelta

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


def sent_times(log: str) -> list[datetime]:
    return [datetime.strptime(t, "%Y-%m-%d %H:%M:%S,%f") for t in re.findall(SENT, log)]


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

        beat.wait_for_log(SENT, count=4, timeout=40)
        times = sent_times(beat.log())
        gaps = [(b - a).total_seconds() for a, b in zip(times[1:], times[2:], strict=False)]
        assert all(timedelta(seconds=1).total_seconds() <= g <= 3.5 for g in gaps), gaps
    finally:
        beat.stop()
