"""Model fields for personal data: encrypted at rest, with a keyed hash for exact lookup."""

from __future__ import annotations

from typing import Any

from django.db import models

from zeren.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored as SM4-GCM ciphertext; Python code sees the plaintext.

    Lookups other than ``isnull`` cannot work on ciphertext: search through the companion
    :class:`BlindIndexField` instead.
    """

    description = "SM4 加密文本"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return crypto.decrypt(value)


class BlindIndexField(models.CharField):
    """Keyed SM3 hash of another field on the same model, filled in on every save."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        plain = getattr(model_instance, self.source)
        digest = crypto.blind_index(plain) if plain else (None if self.null else "")
        setattr(model_instance, self.attname, digest)
        return digest


def mask_id_number(value: str | None) -> str:
    """130525199001011234 -> 130525********1234."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678; short numbers keep only their last two digits."""
    if not value:
        return ""
    if len(value) >= 11:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_account(value: str | None) -> str:
    """Bank account: only the last four digits stay visible."""
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:]
