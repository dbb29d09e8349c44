"""Personal data at rest: SM4-GCM encryption and a keyed SM3 hash for exact-match lookup.

The keys come from settings (environment or files in the data directory) and never from the
database. Ciphertext is stored as text: ``sm4g1:`` + base64(nonce || ciphertext || tag).
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "sm4g1:"
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    """Stored ciphertext could not be decrypted with the configured key."""


def _hex_key(name: str, size: int) -> bytes:
    raw = getattr(settings, name)
    try:
        key = bytes.fromhex(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be hexadecimal") from exc
    if len(key) != size:
        raise ImproperlyConfigured(f"{name} must be {size} bytes ({size * 2} hex digits)")
    return key


@lru_cache(maxsize=4)
def _sm4_key(raw: str) -> bytes:
    return _hex_key("ZEREN_SM4_KEY", 16)


@lru_cache(maxsize=4)
def _hash_key(raw: str) -> bytes:
    key = _hex_key("ZEREN_HASH_KEY", 32)
    return key


def encrypt(plaintext: str) -> str:
    """Encrypt text with SM4-GCM under a fresh random nonce."""
    key = _sm4_key(settings.ZEREN_SM4_KEY)
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a value made by :func:`encrypt`; a tampered value raises DecryptionError."""
    if not token.startswith(PREFIX):
        raise DecryptionError("不是加密数据")
    key = _sm4_key(settings.ZEREN_SM4_KEY)
    try:
        blob = base64.b64decode(token[len(PREFIX) :], validate=True)
    except ValueError as exc:
        raise DecryptionError("加密数据已损坏") from exc
    nonce, body, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionError("加密数据校验失败") from exc


def blind_index(value: str) -> str:
    """Keyed SM3 (HMAC-SM3) of a normalised value, hex: equal inputs give equal digests."""
    mac = hmac.HMAC(_hash_key(settings.ZEREN_HASH_KEY), hashes.SM3())
    mac.update(value.strip().upper().encode("utf-8"))
    return mac.finalize().hex()
