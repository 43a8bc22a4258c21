"""The session engine: Django's database sessions, remembering when a loaded session expires."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    """Sessions in the database, as django.contrib.sessions.backends.db; `expires_at` is the stored expiry of the
    session as loaded (None before it is loaded, or when there was none), so IdleTimeoutSessionMiddleware can tell
    when the expiry was last pushed without writing anything to the session for it."""

    expires_at = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self.expires_at = stored.expire_date if stored else None
        return stored

    async def _aget_session_from_db(self):
        stored = await super()._aget_session_from_db()
        self.expires_at = stored.expire_date if stored else None
        return stored
