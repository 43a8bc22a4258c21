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


def assert_permissions(url, *, allowed, outside, no_role, denied=(), method="get", data=None, ok=(200, 302)):
    """Anonymous -> login redirect; no role -> 403; `outside` users -> 404; `denied` -> 403; `allowed` -> ok.

    `data` is sent with every request, so for a POST the allowed users' request really changes something:
    give each case its own fresh URL if that matters.
    """
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
        assert response.status_code in ok, (user.username, url, response.status_code)


def client_for(user) -> Client:
    return _client_for(user)
