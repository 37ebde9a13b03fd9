"""The error answers every API operation can give, added to the schema by a postprocessing hook
(SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) instead of repeated on each view.

401/403: KP_PUBLIC_READ off, or a write without staff rights (core/access.py). 404: an id in the
path that does not exist, or a page past the last. All carry DRF's `{"detail": "..."}` body.
"""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
ERRORS = {
    "401": "Sign-in needed: KP_PUBLIC_READ is off, or the credentials were refused.",
    "403": "Signed in without the rights this needs (writes are for staff).",
}
NOT_FOUND = "No such object (an id in the path), or a page past the last."


NO_NUL = r"^[^\x00]*$"  # DRF's CharField refuses NUL characters (Postgres cannot store them)
SOME_TEXT = r"^[^\x00]*\S[^\x00]*$"  # and trims whitespace, so a required text needs a visible one
# POST /api/watchlist takes a show by id or a title, never both (WatchlistAddSerializer.validate).
ONE_OF_SHOW_OR_TITLE = [
    {"required": ["show"], "not": {"required": ["title"]}},
    {"required": ["title"], "not": {"required": ["show"]}},
]


def _answer(description: str, csv: bool = False) -> dict:
    content = {"application/json": {"schema": DETAIL}}
    if csv:  # ?format=csv renders errors with the CSV renderer too
        content["text/csv"] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


def _plain_string(schema: dict) -> bool:
    return schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema)


def _request_components(result: dict) -> set[str]:
    names = set()
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody", {}) if isinstance(operation, dict) else {}
            for media in body.get("content", {}).values():
                names.add(media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1])
    return names


def _strict_strings(result: dict) -> None:
    schemas = result.get("components", {}).get("schemas", {})
    for name in _request_components(result) & set(schemas):
        component = schemas[name]
        required = set(component.get("required", []))
        for field, schema in component.get("properties", {}).items():
            if schema.get("readOnly"):
                continue
            items = schema.get("items", {})
            if _plain_string(items):
                items["pattern"] = SOME_TEXT
            if _plain_string(schema):
                text = field in required or schema.get("minLength", 0) >= 1
                schema["pattern"] = SOME_TEXT if text else NO_NUL
        if name == "WatchlistAdd":
            component["properties"]["title"]["pattern"] = SOME_TEXT
            component["oneOf"] = ONE_OF_SHOW_OR_TITLE


def add_error_responses(result: dict, generator, request, public) -> dict:
    _strict_strings(result)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            params = {p.get("name") for p in operation.get("parameters", [])}
            csv = "format" in params
            for code, description in ERRORS.items():
                responses.setdefault(code, _answer(description, csv))
            if "{" in path or "page" in params:
                responses.setdefault("404", _answer(NOT_FOUND, csv))
            for param in operation.get("parameters", []):
                schema = param.get("schema", {})
                if param.get("in") == "query" and _plain_string(schema):
                    schema["pattern"] = NO_NUL
    return result
