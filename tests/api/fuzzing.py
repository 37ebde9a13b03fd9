"""The schema both schemathesis runs fuzz (test_schema: no 500 as staff; test_schemathesis: every check,
staff and anonymous), loaded once as a public deployment serves it. Their staff_token fixture is in
conftest.py."""

import schemathesis
from django.conf import settings as django_settings
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches under its home directory; var/ keeps them out of the work tree.
set_hypothesis_home_dir(str(django_settings.VAR_DIR / "hypothesis"))

# The stream never ends, so it is left out of the fuzzing; its 400/401/404 paths are in test_stream.
# The schema follows KP_PUBLIC_READ like every read; it is loaded here as a public deployment serves it.
with override_settings(KP_PUBLIC_READ=True):
    schema = schemathesis.openapi.from_wsgi("/api/schema?format=json", get_wsgi_application()).exclude(
        path="/api/stream"
    )
