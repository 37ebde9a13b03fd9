"""Settings for the stream benchmark through Pushpin: the project's, with django_grip in front."""

import os

from kalshi_predictions.settings import *  # noqa: F403
from kalshi_predictions.settings import MIDDLEWARE

MIDDLEWARE = ["django_grip.GripMiddleware", *MIDDLEWARE]
# Pushpin's publish (control) port and the key it signs proxied requests with.
GRIP_URL = os.environ["KP_BENCH_GRIP_URL"]
