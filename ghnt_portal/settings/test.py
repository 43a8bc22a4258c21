"""Settings for the test suite: fast hashing, in-memory mail, the same database rules as elsewhere."""

from .base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The suite logs users in with Client.login (no request, which axes needs) and without a second
# factor; the tests of login security switch both on again with override_settings.
AXES_ENABLED = False
GHNT_REQUIRE_2FA = False
