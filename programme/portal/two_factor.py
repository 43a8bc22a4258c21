"""Second factor for project leaders and administrators: TOTP with backup codes (django-otp).

After the password, such a user without a confirmed authenticator is sent to the set-up page (a QR
code to scan, then a code to confirm, then backup codes shown once); with one, to the page that asks
for a code. Until then every other page redirects there. GHNT_REQUIRE_2FA switches it off (tests).
"""

import re
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from ..access import scope_of
from ..models import Role
from .audit import audit

BACKUP_CODE_COUNT = 10
SESSION_BACKUP_CODES = "ghnt_new_backup_codes"
# The key of an authenticator being set up lives in the session until its first code confirms it: opening
# the set-up page writes nothing to the database.
SESSION_SETUP_KEY = "ghnt_totp_setup_key"
_APP_CODE = re.compile(r"[0-9]{6}")
# Paths a user who still owes the second factor may reach: the 2FA pages, logging out, static files,
# the language switch and the health check.
_OPEN_PREFIXES = ("/tweestapsverificatie/", "/uitloggen/", "/static/", "/i18n/", "/gezondheid/")


def requires_second_factor(user) -> bool:
    """Administrators (staff) and project leaders must log in with a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Role.PROJECT_LEADER in scope_of(user).roles


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TwoFactorRequiredMiddleware:
    """Sends a user who needs a second factor and has not given it to the set-up or code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.GHNT_REQUIRE_2FA and not request.path.startswith(_OPEN_PREFIXES):
            user = request.user
            if user.is_authenticated and not user.is_verified() and requires_second_factor(user):
                target = "two_factor_verify" if has_confirmed_device(user) else "two_factor_setup"
                return redirect(_with_next(target, request.get_full_path()))
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The six digits from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _qr_data_uri(device: TOTPDevice) -> str:
    # An SVG data URI in an <img>: no script, allowed by the CSP's img-src 'self' data:.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _base32_key(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def demo_second_factor(user) -> tuple[str, list[str]]:
    """A confirmed authenticator and backup codes for a demo user (idempotent): (base32 key, codes)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
    backup, _created = StaticDevice.objects.get_or_create(user=user, name="Reservecodes", defaults={"confirmed": True})
    if not backup.token_set.exists():
        StaticToken.objects.bulk_create(
            [StaticToken(device=backup, token=StaticToken.random_token()) for _ in range(BACKUP_CODE_COUNT)]
        )
    return _base32_key(device).replace(" ", ""), list(backup.token_set.values_list("token", flat=True))


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice, acting_user) -> list[str]:
    """Confirm a scanned authenticator and issue fresh backup codes; returns the codes to show once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    backup, _created = StaticDevice.objects.get_or_create(
        user=acting_user, name="Reservecodes", defaults={"confirmed": True}
    )
    backup.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    audit("2fa_setup", user=acting_user)
    return codes


def _log_in_with(request, device) -> None:
    """Mark the session as verified by the device, under a new session key: the key the session had with
    the password alone is worth nothing to whoever learnt it (session fixation)."""
    otp_login(request, device)
    request.session.cycle_key()


def _matching_device(user, token: str):
    """The device a code belongs to, tried only on devices of its kind: six digits are an app code, anything
    else a backup code. django-otp's match_token tries every device and counts a failure on each, so five
    wrong app codes would also lock the backup codes that are meant for when the app fails."""
    model = TOTPDevice if _APP_CODE.fullmatch(token) else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Scan the QR code, confirm with the first code; then the backup codes are shown once."""
    if has_confirmed_device(request.user):
        return redirect(_with_next("two_factor_verify", _next_url(request)))
    if not (requires_second_factor(request.user) or scope_of(request.user).roles):
        return redirect(_next_url(request))
    key = request.session.get(SESSION_SETUP_KEY)
    if not key:
        key = request.session[SESSION_SETUP_KEY] = default_key()
    device = TOTPDevice(user=request.user, name=_("Authenticator app"), key=key, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Saved from the first code on, so django-otp can count (and slow down) wrong codes.
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, key=key, confirmed=False, defaults={"name": device.name})
        if device.verify_token(form.cleaned_data["token"]):
            codes = confirm_totp_device(device=device, acting_user=request.user)
            request.session.pop(SESSION_SETUP_KEY, None)
            _log_in_with(request, device)
            request.session[SESSION_BACKUP_CODES] = codes
            return redirect(_with_next("two_factor_backup_codes", _next_url(request)))
        audit("2fa_failed", request=request, stage="setup")
        form.add_error("token", _("This code is not correct. Check the time on your phone and try the next code."))
    return render(request, "two_factor/setup.html", {
        "form": form, "qr_code": _qr_data_uri(device), "secret": _base32_key(device), "next": _next_url(request),
    })


@login_required
def backup_codes(request):
    """The backup codes of a new set-up, shown once."""
    codes = request.session.pop(SESSION_BACKUP_CODES, None)
    if not codes:
        return redirect(_next_url(request))
    return render(request, "two_factor/backup_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Ask for a code from the authenticator app or a backup code."""
    if not has_confirmed_device(request.user):
        return redirect(_with_next("two_factor_setup", _next_url(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _matching_device(request.user, form.cleaned_data["token"])
        if device is not None:
            _log_in_with(request, device)
            audit("2fa_verified", request=request, device=type(device).__name__)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, ngettext("You used a backup code; %(count)s is left.",
                                                  "You used a backup code; %(count)s are left.", left)
                                 % {"count": left})
            return redirect(_next_url(request))
        audit("2fa_failed", request=request, stage="verify")
        form.add_error("token", _("This code is not correct or has already been used."))
    return render(request, "two_factor/verify.html", {"form": form, "next": _next_url(request)})
