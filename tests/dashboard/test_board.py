from sources.models import Source


def test_the_board_lists_the_nine_sources_with_health_and_schedule(client, sources_ready, settings):
    settings.KP_PUBLIC_READ = True
    html = client.get("/").content.decode()
    assert html.count('class="card ') == 9
    assert "Wikipedia pageviews" in html and "every 60 minutes" in html
    assert 'sse-connect="/api/stream"' in html


def test_the_cards_fragment_is_what_the_board_refetches(client, sources_ready, settings):
    settings.KP_PUBLIC_READ = True
    html = client.get("/fragments/sources").content.decode()
    assert html.count('class="card ') == 9 and "<html" not in html


def test_the_board_follows_the_public_read_setting(client, admin_client, sources_ready, settings):
    settings.KP_PUBLIC_READ = False
    response = client.get("/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert admin_client.get("/").status_code == 200


def test_hostile_upstream_text_renders_as_text(client, sources_ready, settings):
    settings.KP_PUBLIC_READ = True
    Source.objects.filter(key="wikipedia").update(
        last_error='<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    )
    html = client.get("/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
