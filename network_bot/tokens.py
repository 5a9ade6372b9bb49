"""Tokens at rest: every Slack credential the bot stores is Fernet ciphertext.

The key (``NETWORK_BOT_SECRET_KEY``) lives in the environment, never in the database, so a copy
of the SQLite file, a backup or an export holds no usable token. Several comma-separated keys
may be given: the first encrypts, each decrypts, so a key can be replaced (put the new one
first) and old ciphertext still opens until it is re-encrypted by the next save.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr


class TokenUnreadable(Exception):
    """Stored ciphertext that none of the configured keys opens (a wrong or missing key)."""


class TokenCipher:
    def __init__(self, *, key: SecretStr) -> None:
        keys = [k.strip() for k in key.get_secret_value().split(",") if k.strip()]
        if not keys:
            raise ValueError("no key given")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

    def seal(self, value: str | None) -> str | None:
        """Ciphertext for a credential (None stays None: nothing to protect)."""
        if value is None:
            return None
        return self._fernet.encrypt(value.encode()).decode("ascii")

    def open(self, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return self._fernet.decrypt(value.encode("ascii")).decode()
        except (InvalidToken, UnicodeError, ValueError):
            raise TokenUnreadable(
                "a stored Slack token cannot be decrypted with NETWORK_BOT_SECRET_KEY "
                "(was the key changed without keeping the old one after it?)"
            ) from None

    def __repr__(self) -> str:  # never show the key, even in a traceback's locals
        return "TokenCipher(<hidden>)"
