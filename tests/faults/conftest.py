"""Helpers of the fault tests: PostgreSQL only (they need a database that several processes share)."""

import os
import time

import pytest
from django.db import connection


@pytest.fixture
def postgresql(transactional_db):
    """Skip on SQLite (its test database lives in memory); CI runs on PostgreSQL, where a skip fails the run."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
    yield connection.settings_dict
    # The server of a killed or stopped process notices it a moment later; wait, so the test database can go.
    for _ in range(100):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.1)


def database_url(settings_dict, port=None) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{port or settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


def child_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "ghnt_portal.settings.test", **extra})
    return env


@pytest.fixture
def periods_all(reference_data):
    from programme.services.periods import reporting_periods_generate

    reporting_periods_generate(first_year=2022, last_year=2026)
