"""The API's settings (Django REST framework, drf-spectacular); settings.py imports them all."""

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request is then answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.access.ReadPublicWriteStaff"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kalshi-Predictions API",
    "DESCRIPTION": "Leading signals for the weekly Netflix Top 10, per source and per show.",
    "VERSION": "0.1.0",
    # The schema and its docs page follow the API's read policy, like every other read.
    "SERVE_PERMISSIONS": ["core.access.ReadPublicWriteStaff"],
    # Swagger UI from our own static files (drf-spectacular-sidecar): the docs work with no network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The SSE stream is a plain Django view; its entry is added to the schema here.
        "sources.api.stream_schema.add_stream_path",
        # 401/403 on every operation, 404 where an id or a page is asked for (DRF's {"detail"} body).
        "sources.api.schema_errors.add_error_responses",
    ],
}
