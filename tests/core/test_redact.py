from core.redact import redact


def test_secret_values_and_key_parameters_are_masked(monkeypatch):
    monkeypatch.setenv("YOUTUBE_API_KEY", "AIzaSyTESTSECRET123")
    text = redact("GET https://www.googleapis.com/youtube/v3/videos?id=a&key=AIzaSyTESTSECRET123 failed")
    assert "AIzaSyTESTSECRET123" not in text and "key=[redacted]" in text
    assert redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer [redacted]"
    assert redact("error AIzaSyTESTSECRET123 in body") == "error [redacted] in body"
