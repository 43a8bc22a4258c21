"""Fixtures of the API tests: a token per user, and a client that sends it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from reporting.api.services import api_token_create


def token_for(user, name="Power BI", days=30) -> str:
    _token, key = api_token_create(user=user, name=name, expires_on=timezone.localdate() + datetime.timedelta(days))
    return key


def api_client(key: str | None) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}") if key else Client()


@pytest.fixture
def api(users):
    """api("national") -> a client with a fresh token of that fixture user."""
    return lambda name: api_client(token_for(users[name]))
