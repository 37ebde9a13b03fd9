"""Error texts shown on cards and stored with runs."""

MAX_ERROR_CHARS = 2000


def clip(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis, never mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ;,:") + "…"
