import json

from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from sources import registry
from sources.models import Source
from sources.pipeline.schedules import defaults, describe


def test_setup_creates_every_registered_source_with_its_schedules(db):
    call_command("setup_sources")
    assert set(Source.objects.values_list("key", flat=True)) == set(registry.specs())
    assert all(s.periodic_task_id for s in Source.objects.all())
    names = {c.name for cadences in defaults().values() for c in cadences}
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == names


def test_setup_is_idempotent(db):
    call_command("setup_sources")
    before = list(PeriodicTask.objects.order_by("pk").values())
    call_command("setup_sources")
    assert list(PeriodicTask.objects.order_by("pk").values()) == before
    assert Source.objects.count() == 10


def test_setup_never_overwrites_a_schedule_edited_in_admin(db):
    call_command("setup_sources")
    task = PeriodicTask.objects.get(name="wikipedia: pageviews")
    task.interval, _ = IntervalSchedule.objects.get_or_create(every=7, period="minutes")
    task.enabled = False
    task.save()
    call_command("setup_sources")
    task.refresh_from_db()
    assert (task.interval.every, task.enabled) == (7, False)


def test_tudum_polls_tuesdays_from_ten_eastern(db):
    call_command("setup_sources")
    crontab = PeriodicTask.objects.get(name="tudum: Tuesday release watch").crontab
    assert (crontab.hour, crontab.day_of_week, crontab.minute) == ("10-15", "2", "*/15")
    assert str(crontab.timezone) == "America/New_York"


def test_every_task_expires_before_its_next_run_and_names_its_source(db):
    call_command("setup_sources")
    for key, cadences in defaults().items():
        for cadence in cadences:
            task = PeriodicTask.objects.get(name=cadence.name)
            assert json.loads(task.args) == [key]
            assert task.task == "sources.tasks.run_source"
            if task.interval:
                assert task.expire_seconds < task.interval.schedule.run_every.total_seconds()
            else:
                assert 0 < task.expire_seconds <= 3600
            assert task.description


def test_cadences_read_as_words(db):
    call_command("setup_sources")
    assert describe(PeriodicTask.objects.get(name="kalshi: market prices")) == "every 15 minutes"
    text = describe(PeriodicTask.objects.get(name="flixpatrol: newest day's chart"))
    assert "between 12:00 AM and 11:59 AM" in text and "America/New_York" in text
