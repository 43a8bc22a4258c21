"""Portal-wide machinery every app uses: login security, second factor, audit trail, lockout, system views, menus."""
