import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kalshi_predictions.settings")
# The web process is the one that pools its database connections (kalshi_predictions/database_settings.py).
# Not when imported into a process whose settings are already read (a test), whose children would inherit it.
if not settings.configured:
    os.environ["KP_PROCESS"] = "web"

django_app = get_asgi_application()


def _with_static(app):
    # uvicorn serves our few static files itself so that `make run` needs no extra web server.
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    return ASGIStaticFilesHandler(app)


application = _with_static(django_app)
