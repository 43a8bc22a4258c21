"""The four-case permission check every view gets: anonymous, no role, other region or organisation, allowed."""

from django.test import Client

from .conftest import PASSWORD


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def _request(client, url, method, data):
    if method == "post":
        return client.post(url, data or {})
    return client.get(url, data or {})


def assert_permissions(url, *, allowed, outside, no_role, expect: int, location: str | None = None, denied=(),
                       method="get", data=None):
    """Anonymous -> login redirect; no role -> 403; `outside` users -> 404; `denied` -> 403; `allowed` -> `expect`.

    `expect` is one exact status, never "200 or 302": a page that sends its reader to the login page instead of
    showing itself must fail. For a redirect, `location` (a substring of the Location header) says where to.
    `data` is sent with every request, so for a POST the allowed users' request really changes something:
    give each case its own fresh URL if that matters.
    """
    assert isinstance(expect, int), "one exact status per case"
    assert (location is not None) == (expect == 302), "a redirect says where to, and only a redirect"
    response = _request(Client(), url, method, data)
    assert response.status_code == 302 and "/inloggen/" in response["Location"], (url, response.status_code)
    response = _request(_client_for(no_role), url, method, data)
    assert response.status_code == 403, ("no role", url, response.status_code)
    for user in outside:
        response = _request(_client_for(user), url, method, data)
        assert response.status_code == 404, (user.username, url, response.status_code)
    for user in denied:
        response = _request(_client_for(user), url, method, data)
        assert response.status_code == 403, (user.username, url, response.status_code)
    for user in allowed:
        response = _request(_client_for(user), url, method, data)
        assert response.status_code == expect, (user.username, url, response.status_code)
        if location is not None:
            assert location in response["Location"], (user.username, url, response["Location"])
            assert "/inloggen/" not in response["Location"], (user.username, url, response["Location"])


def client_for(user) -> Client:
    return _client_for(user)
