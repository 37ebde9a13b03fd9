import requests

from core import http

PATH = "/extra/count.json"


def get_count(session: requests.Session, base_url: str) -> requests.Response:
    return http.get(session, base_url + PATH)
