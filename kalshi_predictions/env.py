"""Strict readers for settings taken from the environment.

A typo in a deployment variable should stop the app at start-up with a message naming the variable,
not run with a silently different value.
"""

import os
from urllib.parse import urlsplit


class ImproperEnv(ValueError):
    pass


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("True", "true", "1", "yes", "on"):
        return True
    if raw in ("False", "false", "0", "no", "off"):
        return False
    raise ImproperEnv(f"{name}={raw!r}: expected true or false")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperEnv(f"{name}={raw!r}: expected an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperEnv(f"{name}={raw!r}: must be at least {minimum}")
    return value


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperEnv(f"{name}={raw!r}: expected a number") from None
    if (
        value != value
        or value in (float("inf"), float("-inf"))
        or (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
    ):
        raise ImproperEnv(f"{name}={raw!r}: must be a number from {minimum} to {maximum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_base_url(name: str, default: str) -> str:
    """A `<KEY>_BASE_URL`: scheme, host and port only; runners append the API's real path."""
    raw = os.environ.get(name) or default
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperEnv(f"{name}={raw!r}: expected http(s)://host[:port]")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ImproperEnv(f"{name}={raw!r}: give scheme, host and port only, without a path")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise ImproperEnv(f"{name}={raw!r}: bad port") from None
    return f"{parts.scheme}://{parts.netloc}"


def redis_parts(url: str) -> dict:
    """Connection kwargs for redis.Redis from a redis://, rediss:// or unix:// URL.

    django-eventstream takes kwargs, Celery and redis-py take URLs; one parser keeps them on the same
    server.
    """
    parts = urlsplit(url)
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    if parts.scheme == "unix":
        return {"unix_socket_path": parts.path, "db": int(query.get("db", 0))}
    if parts.scheme not in ("redis", "rediss"):
        raise ImproperEnv(f"REDIS_URL={url!r}: expected redis://, rediss:// or unix://")
    db = parts.path.lstrip("/") or query.get("db", "0")
    if not db.isdigit():
        raise ImproperEnv(f"REDIS_URL={url!r}: the database must be a number")
    kwargs = {"host": parts.hostname or "127.0.0.1", "port": parts.port or 6379, "db": int(db)}
    if parts.password:
        kwargs["password"] = parts.password
    if parts.username:
        kwargs["username"] = parts.username
    if parts.scheme == "rediss":
        kwargs["ssl"] = True
    return kwargs


def celery_broker_url(url: str) -> str:
    """Celery spells a unix-socket Redis as redis+socket://."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"redis+socket://{parts.path}" + (f"?virtual_host={redis_parts(url)['db']}")
    return url


def env_setting(
    name: str,
    default: object,
    *,
    minimum: int | None = None,
    choices: tuple[str, ...] = (),
    base_url: bool = False,
    parse=None,
) -> object:
    """A source's declared setting (sources.spec.Setting): the default's type chooses the parser."""
    if base_url:
        value = env_base_url(name, str(default))
    elif isinstance(default, bool):
        value = env_bool(name, default)
    elif isinstance(default, int):
        value = env_int(name, default, minimum=minimum)
    elif isinstance(default, float):
        value = env_float(name, default, minimum=minimum)
    elif isinstance(default, list | tuple):
        value = env_list(name, list(default))
    else:
        value = env_str(name, str(default))
    if parse is not None:
        try:
            value = parse(value)
        except ValueError as exc:
            raise ImproperEnv(f"{name}={os.environ.get(name, '')!r}: {exc}") from None
    if choices and value not in choices:
        raise ImproperEnv(f"{name}={value!r}: expected one of {', '.join(choices)}")
    return value
