"""Messages of django-axes (lockouts in the admin), which ships no Dutch: listed here so makemessages keeps them.

Django looks up a message in every catalog, the project's (LOCALE_PATHS) first, so these Dutch
translations also serve axes' own admin pages, where the administrator lifts a lockout.
"""

from django.utils.translation import gettext_noop

AXES_MESSAGES = [
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
]


def name_third_party_models_in_dutch() -> None:
    """django-otp names its apps and models in plain English strings ("OTP_TOTP", "TOTP device", "static
    devices") that no catalog can translate; give them translatable names, so the admin speaks Dutch.

    Only the names used for display change (`_meta.verbose_name`, the app's `verbose_name`); migrations read a
    model's original options, so no migration follows from this.
    """
    from django.apps import apps
    from django.utils.translation import gettext_lazy as _

    names = {
        "otp_totp": (_("Second factor: authenticator apps"), {"totpdevice": (_("TOTP device"), _("TOTP devices"))}),
        "otp_static": (_("Second factor: backup codes"), {"staticdevice": (_("static device"), _("static devices")),
                                                          "statictoken": (_("static token"), _("static tokens"))}),
    }
    for label, (app_name, models) in names.items():
        config = apps.get_app_config(label)
        config.verbose_name = app_name
        for model_name, (singular, plural) in models.items():
            meta = config.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
