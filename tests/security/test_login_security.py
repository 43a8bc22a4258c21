"""Lockout after failed logins, the second factor for project leaders and administrators, idle sessions."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/inloggen/"


def _login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _client(address):
    return Client(REMOTE_ADDR=address)


def _wait_out_throttle(user):
    # A wrong code delays the next try (django-otp's throttling); the user would simply wait a few seconds.
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=None, throttling_failure_count=0)


def _code(device):
    if device.pk:
        _wait_out_throttle(device.user)
        device.refresh_from_db()
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(6)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_five_wrong_passwords_lock_the_user_name_even_from_other_addresses(users, audit_log):
    for attempt in range(4):
        response = _login(_client(f"10.0.0.{attempt + 1}"), "helmond", "wrong-password")
        assert response.status_code == 200  # the login form again, with its error
    assert _login(_client("10.0.0.5"), "helmond", "wrong-password").status_code == 429
    # The right password from yet another address: still blocked, with the Dutch page.
    response = _login(_client("10.0.0.99"), "helmond")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in page and "Na 5 mislukte inlogpogingen" in page
    assert "_auth_user_id" not in _client("10.0.0.99").session.keys()
    assert len(audit_log.events("login_failed")) >= 5
    assert audit_log.events("lockout")[0]["username"] == "helmond"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_five_failures_from_one_address_lock_that_address_for_every_user_name(users):
    attacker = _client("10.0.0.7")
    for name in ("a", "b", "c", "d", "e"):
        _login(attacker, name, "wrong-password")
    assert _login(attacker, "eindhoven").status_code == 429
    # Another address is not affected, nor is the user name that was never tried.
    response = _login(_client("10.0.0.8"), "eindhoven")
    assert response.status_code == 302 and response["Location"] == "/"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_administrator_lifts_a_lockout_in_the_admin(users):
    from axes.models import AccessAttempt

    for attempt in range(5):
        _login(_client(f"10.0.1.{attempt}"), "helmond", "wrong-password")
    assert _login(_client("10.0.1.50"), "helmond").status_code == 429
    admin = Client()
    admin.force_login(users["admin"])
    page = admin.get("/beheer/axes/accessattempt/").content.decode()
    assert "helmond" in page and "Inlogpogingen" in page
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin.post("/beheer/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": attempts, "post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert _login(_client("10.0.1.50"), "helmond").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_successful_login_and_failed_login_are_audited_without_the_password(users, audit_log):
    _login(_client("10.0.2.1"), "helmond", "not-my-Password-9")
    _login(_client("10.0.2.1"), "helmond")
    failed, = audit_log.events("login_failed")
    login, = audit_log.events("login")
    assert failed["username"] == "helmond" and failed["ip"] == "10.0.2.1"
    assert login["user_id"] == users["helmond"].pk and login["time"]
    assert "not-my-Password-9" not in str(audit_log.entries) and PASSWORD not in str(audit_log.entries)


@override_settings(GHNT_REQUIRE_2FA=True)
def test_project_leader_sets_up_an_authenticator_and_gets_backup_codes(users, audit_log):
    client = Client()
    response = _login(client, "pl")
    assert response.status_code == 302
    # Every page leads to the Dutch set-up page with a QR code (an SVG image, no script).
    response = client.get("/programma/")
    assert response.status_code == 302 and response["Location"].startswith("/tweestapsverificatie/instellen/")
    page = client.get(response["Location"]).content.decode()
    assert "Tweestapsverificatie instellen" in page and 'src="data:image/svg+xml' in page
    assert not TOTPDevice.objects.exists()  # opening the page writes nothing
    device = TOTPDevice(key=client.session["ghnt_totp_setup_key"])
    response = client.post("/tweestapsverificatie/instellen/", {"token": "000000", "next": "/programma/"})
    assert "Deze code klopt niet" in response.content.decode()
    _wait_out_throttle(users["project_leader"])
    response = client.post("/tweestapsverificatie/instellen/", {"token": _code(device), "next": "/programma/"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    codes = StaticToken.objects.filter(device__user=users["project_leader"]).values_list("token", flat=True)
    assert "Uw reservecodes" in page and len(codes) == 10 and all(code in page for code in codes)
    assert client.get("/programma/").status_code == 200
    assert audit_log.events("2fa_setup")


@override_settings(GHNT_REQUIRE_2FA=True)
def test_administrator_with_a_device_must_enter_a_code_and_a_backup_code_works_once(users):
    admin = users["admin"]
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    from programme.portal.two_factor import demo_second_factor

    _key, codes = demo_second_factor(admin)
    client = Client()
    _login(client, "admin")
    response = client.get("/beheer/")
    assert response["Location"] == "/tweestapsverificatie/?next=%2Fbeheer%2F"
    response = client.post("/tweestapsverificatie/", {"token": "123456", "next": "/beheer/"})
    assert "Deze code klopt niet of is al gebruikt" in response.content.decode()
    assert client.get("/beheer/").status_code == 302
    _wait_out_throttle(admin)
    response = client.post("/tweestapsverificatie/", {"token": codes[0], "next": "/beheer/"})
    assert response["Location"] == "/beheer/" and client.get("/beheer/").status_code == 200
    # The used backup code is gone; a TOTP code opens a new session.
    other = Client()
    _login(other, "admin")
    assert "klopt niet" in other.post("/tweestapsverificatie/", {"token": codes[0]}).content.decode()
    assert StaticToken.objects.filter(device__user=admin).count() == 9
    assert other.post("/tweestapsverificatie/", {"token": _code(device)}).status_code == 302
    assert other.get("/beheer/").status_code == 200


@override_settings(GHNT_REQUIRE_2FA=True)
def test_policy_advisers_need_no_second_factor(users):
    client = Client()
    _login(client, "helmond")
    assert client.get("/programma/").status_code == 200


@override_settings(GHNT_REQUIRE_2FA=True)
def test_a_foreign_next_address_is_not_followed_after_the_code(users):
    device = TOTPDevice.objects.create(user=users["project_leader"], name="app", confirmed=True)
    client = Client()
    _login(client, "pl")
    response = client.post("/tweestapsverificatie/", {"token": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_session_ends_after_the_idle_time_and_requests_extend_it_at_most_once_a_minute(users):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    idle = datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    client = Client()
    _login(client, "helmond")
    session = Session.objects.get()
    # Expiry pushed less than a minute ago: a request writes nothing.
    pushed_recently = timezone.now() + idle - datetime.timedelta(seconds=50)
    Session.objects.update(expire_date=pushed_recently)
    assert client.get("/programma/").status_code == 200
    assert Session.objects.get().expire_date == pushed_recently
    # Pushed a minute ago or longer (here: a minute before it would end), the next request pushes it to the full
    # idle time again.
    for remaining in (idle - datetime.timedelta(minutes=1), datetime.timedelta(minutes=1)):
        Session.objects.update(expire_date=timezone.now() + remaining)
        assert client.get("/programma/").status_code == 200
        assert Session.objects.get().expire_date > timezone.now() + idle - datetime.timedelta(seconds=10)
    # Once expired, the session is gone: the next request is sent to the login page.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/programma/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_logging_out_leaves_no_session_behind(users):
    client = Client()
    _login(client, "helmond")
    assert client.get("/programma/").status_code == 200
    assert client.post("/uitloggen/").status_code == 302
    assert not Session.objects.exists()
    assert client.get("/programma/")["Location"].startswith("/inloggen/")


def test_passwords_are_hashed_with_argon2_and_validated():
    from django.contrib.auth.hashers import identify_hasher, make_password
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from ghnt_portal.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert identify_hasher(make_password("een-lang-wachtwoord")).algorithm == "argon2"
    with pytest.raises(ValidationError):
        validate_password("12345678")


@override_settings(GHNT_REQUIRE_2FA=True)
def test_demo_data_gives_the_project_leader_and_administrator_a_working_second_factor(monkeypatch):
    import io

    from django.core.management import call_command

    monkeypatch.setenv("GHNT_ALLOW_DEMO_DATA", "1")
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    call_command("load_demo_data", stdout=io.StringIO())  # idempotent: the same keys
    printed = out.getvalue()
    device = TOTPDevice.objects.get(user__username="projectleider")
    assert TOTPDevice.objects.count() == 2
    assert "TOTP key" in printed and reverse("two_factor_verify")
    from base64 import b32encode

    assert b32encode(device.bin_key).decode() in printed
    client = Client()
    client.post(LOGIN, {"username": "projectleider", "password": "demo-GHNT-2026"})
    assert client.post("/tweestapsverificatie/", {"token": _code(device)}).status_code == 302
    assert client.get("/programma/").status_code == 200


@override_settings(GHNT_REQUIRE_2FA=True)
def test_after_the_code_the_user_lands_on_the_page_with_its_whole_query(users):
    device = TOTPDevice.objects.create(user=users["project_leader"], name="app", confirmed=True)
    client = Client()
    _login(client, "pl")
    response = client.get("/maatregelen/?status=running&page=2")
    assert response["Location"] == "/tweestapsverificatie/?next=%2Fmaatregelen%2F%3Fstatus%3Drunning%26page%3D2"
    response = client.post(response["Location"], {"token": _code(device)})
    assert response["Location"] == "/maatregelen/?status=running&page=2"


def test_a_logged_in_user_sent_to_the_login_page_itself_goes_home_not_into_a_loop(users):
    """The probe's `GET /inloggen/?next=/inloggen/` while logged in was a 500 (Django's redirect-loop check)."""
    client = Client()
    client.force_login(users["helmond"])
    for next_url in ("/inloggen/", "/inloggen/?next=/inloggen/"):
        response = client.get(LOGIN, {"next": next_url})
        assert response.status_code == 302 and response["Location"] == "/", next_url
    assert client.get(LOGIN, {"next": "/maatregelen/"})["Location"] == "/maatregelen/"


@override_settings(GHNT_REQUIRE_2FA=True)
def test_wrong_app_codes_do_not_lock_the_backup_codes_and_the_reverse(users):
    """The probe: five wrong codes locked the app code and the unused backup codes alike (django-otp's
    match_token counts a failure on every device)."""
    from programme.portal.two_factor import demo_second_factor

    admin = users["admin"]
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    _key, codes = demo_second_factor(admin)
    client = Client()
    _login(client, "admin")
    for _ in range(5):
        client.post("/tweestapsverificatie/", {"token": "000000"})
    assert StaticDevice.objects.get(user=admin).throttling_failure_count == 0
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count >= 1
    assert client.post("/tweestapsverificatie/", {"token": codes[0], "next": "/beheer/"})["Location"] == "/beheer/"
    other = Client()
    _login(other, "admin")
    _wait_out_throttle(admin)
    for _ in range(5):
        other.post("/tweestapsverificatie/", {"token": "abcdefgh"})
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0
    totp = TOTPDevice.objects.get(pk=device.pk)
    code = str(TOTP(totp.bin_key, totp.step, totp.t0, totp.digits, totp.drift).token()).zfill(6)
    assert other.post("/tweestapsverificatie/", {"token": code})["Location"] == "/"


@override_settings(GHNT_REQUIRE_2FA=True)
def test_the_session_key_is_renewed_after_the_second_factor(users):
    device = TOTPDevice.objects.create(user=users["project_leader"], name="app", confirmed=True)
    client = Client()
    _login(client, "pl")
    before = client.session.session_key
    assert client.post("/tweestapsverificatie/", {"token": _code(device)}).status_code == 302
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


@override_settings(GHNT_REQUIRE_2FA=True)
def test_opening_the_set_up_page_creates_nothing_and_a_user_without_role_has_none(users):
    for user in (users["no_role"], users["project_leader"]):
        client = Client()
        client.force_login(user)
        client.get("/tweestapsverificatie/instellen/")
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    client = Client()
    client.force_login(users["no_role"])
    assert client.post("/tweestapsverificatie/instellen/", {"token": "123456"}).status_code == 302
    assert not TOTPDevice.objects.exists()
