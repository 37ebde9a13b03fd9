from django.utils import timezone

from sources.models import FetchRun, Source
from tests.factories import HOSTILE


def _run(key: str, **fields) -> FetchRun:
    run = FetchRun.objects.create(source=Source.objects.get(key=key), **fields)
    FetchRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timezone.timedelta(seconds=3))
    return run


def test_each_source_lists_schedule_links_runs_and_credential_names(
    client, sources_ready, public, monkeypatch
):
    monkeypatch.setenv("X_BEARER_TOKEN", "secret-value-never-shown")
    monkeypatch.delenv("YOUTUBE_API_KEY", raising=False)
    _run("wikipedia", status="ok", items=12, created=10, updated=2, requests=3, finished_at=timezone.now())
    _run("kalshi", status="failed", error="HTTP 500 from upstream", finished_at=timezone.now())
    html = client.get("/sources").content.decode()
    assert html.count("/admin/django_celery_beat/periodictask/") >= 9
    assert "X_BEARER_TOKEN: set" in html and "YOUTUBE_API_KEY: missing" in html
    assert "secret-value-never-shown" not in html
    assert "10 / 2" in html and "HTTP 500 from upstream" in html and "3.0 s" in html


def test_only_the_last_five_runs_of_a_source_are_listed(client, sources_ready, public):
    for n in range(8):
        _run("wikipedia", status="ok", items=n, finished_at=timezone.now())
    html = client.get("/sources", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html
    section = html.split('id="details-wikipedia"')[1].split("</article>")[0]
    assert section.count('class="run-ok"') == 5


def test_staff_run_now_queues_the_task(staff_client, sources_ready, monkeypatch):
    queued = []
    monkeypatch.setattr("dashboard.views.sources.run_source.delay", lambda key: queued.append(key))
    response = staff_client.post("/sources/wikipedia/run", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "queued" in response.content.decode()
    assert queued == ["wikipedia"]
    assert staff_client.post("/sources/nope/run").status_code == 404


def test_anonymous_users_get_no_run_button(client, sources_ready, public, monkeypatch):
    monkeypatch.setattr("dashboard.views.sources.run_source.delay", lambda key: 1 / 0)
    assert "Run now" not in client.get("/sources").content.decode()
    assert client.post("/sources/wikipedia/run", headers={"HX-Request": "true"}).status_code == 403


def test_hostile_errors_render_as_text(client, sources_ready, public):
    _run("wikipedia", status="failed", error=HOSTILE, finished_at=timezone.now())
    Source.objects.filter(key="wikipedia").update(last_error=HOSTILE)
    html = client.get("/sources").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
