"""API keys: random tokens shown once; the database keeps only their SHA-256.

A SHA-256 suffices (no slow KDF): keys are 256 random bits, not guessable passwords.
"""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "rvn_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def display_prefix(key: str) -> str:
    """The first characters, enough to tell keys apart in a listing, useless to an attacker."""
    return key[: len(KEY_PREFIX) + 6]
