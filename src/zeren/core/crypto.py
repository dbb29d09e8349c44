"""Personal data at rest: SM4-GCM encryption and a keyed SM3 hash for exact-match lookup.

The keys come from settings (environment or files in the data directory) and never from the
database. Ciphertext is stored as text: ``sm4g2:`` + base64(nonce || ciphertext || tag), the
tag also covering *associated data* (the table, column and row the value belongs to), so a
ciphertext copied onto another row or column fails to decrypt. ``sm4g1:`` values (no
associated data) are read for the migration that re-encrypts them.
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

PREFIX = "sm4g2:"
LEGACY_PREFIX = "sm4g1:"
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


def encrypt(plaintext: str, aad: str = "") -> str:
    """Encrypt text with SM4-GCM (GB/T 32907-2016 cipher) under a fresh random nonce.

    ``aad`` (associated data, e.g. ``"people.Person.name:<row key>"``) is authenticated but
    not stored: decryption must present the same text. Returns ``"sm4g2:" + base64``.
    """
    return encrypt_with(_sm4_key(settings.ZEREN_SM4_KEY), plaintext, aad)


def encrypt_with(key: bytes, plaintext: str, aad: str = "") -> str:
    """:func:`encrypt` under an explicit 16-byte key (key rotation)."""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad.encode("utf-8"))
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt(token: str, aad: str = "", *, legacy: bool = False) -> str:
    """Decrypt a value made by :func:`encrypt` with the same ``aad``.

    ``legacy=True`` also accepts ``sm4g1:`` values (made before associated data existed).
    Raises DecryptionError for a tampered value, a wrong key, or a value copied from another
    row or column (its associated data differs).
    """
    return decrypt_with(_sm4_key(settings.ZEREN_SM4_KEY), token, aad, legacy=legacy)


def decrypt_with(key: bytes, token: str, aad: str = "", *, legacy: bool = False) -> str:
    """:func:`decrypt` under an explicit 16-byte key (key rotation)."""
    if token.startswith(PREFIX):
        raw = token[len(PREFIX) :]
    elif legacy and token.startswith(LEGACY_PREFIX):
        raw, aad = token[len(LEGACY_PREFIX) :], ""
    else:
        raise DecryptionError("不是加密数据")
    try:
        blob = base64.b64decode(raw, validate=True)
    except ValueError as exc:
        raise DecryptionError("加密数据已损坏") from exc
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("加密数据已损坏")
    nonce, body, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if aad:
        decryptor.authenticate_additional_data(aad.encode("utf-8"))
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionError("加密数据校验失败") from exc


def blind_index(value: str) -> str:
    """Keyed SM3 (HMAC-SM3) of a normalised value, hex: equal inputs give equal digests."""
    return blind_index_with(_hash_key(settings.ZEREN_HASH_KEY), value)


def blind_index_with(key: bytes, value: str) -> str:
    """:func:`blind_index` under an explicit 32-byte key (key rotation)."""
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(value.strip().upper().encode("utf-8"))
    return mac.finalize().hex()


@lru_cache(maxsize=4)
def _audit_key(raw: str) -> bytes:
    return _hex_key("ZEREN_AUDIT_KEY", 32)


def audit_mac(data: bytes) -> str:
    """HMAC-SM3 (GB/T 32905-2016 hash) of ``data`` under the audit key, hex (64 digits)."""
    mac = hmac.HMAC(_audit_key(settings.ZEREN_AUDIT_KEY), hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def fingerprint(key: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(b"zeren key fingerprint v1")
    return mac.finalize().hex()[:32]


def key_fingerprints() -> dict[str, str]:
    """``{"sm4": hex, "hash": hex, "audit": hex}``: a keyed digest of a constant under each key.

    The digests identify a key set without revealing it (HMAC-SM3 is one-way), so the
    database may keep them to notice a process started with other keys.
    """
    return {
        "sm4": fingerprint(_sm4_key(settings.ZEREN_SM4_KEY)),
        "hash": fingerprint(_hash_key(settings.ZEREN_HASH_KEY)),
        "audit": fingerprint(_audit_key(settings.ZEREN_AUDIT_KEY)),
    }
