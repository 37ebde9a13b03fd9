import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kalshi_predictions.settings")

django_app = get_asgi_application()


def _with_static(app):
    # uvicorn serves our few static files itself so that `make run` needs no extra web server.
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    return ASGIStaticFilesHandler(app)


application = _with_static(django_app)
