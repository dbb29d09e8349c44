"""Model fields for personal data: encrypted at rest, with a keyed hash for exact lookup."""

from __future__ import annotations

from typing import Any

from django.db import models

from zeren.core import crypto

UNDECRYPTABLE = "「无法解密」"


class Sealed(str):
    """Ciphertext as read from the database, not yet decrypted (a ``str`` for the ORM)."""

    __slots__ = ()


class Undecryptable(str):
    """Shown in place of a value that failed to decrypt; saving keeps the stored ciphertext."""

    __slots__ = ("token",)

    def __new__(cls, token: str) -> Undecryptable:
        obj = super().__new__(cls, UNDECRYPTABLE)
        obj.token = token
        return obj


def row_bound(model: type[models.Model]) -> bool:
    """Whether the model's encrypted values are bound to the row (it has a ``row_key``)."""
    return any(f.name == "row_key" for f in model._meta.concrete_fields)


def associated_data(instance: models.Model, field: models.Field) -> str:
    """``"app.Model.column:<row key>"``: what a ciphertext is bound to (row key may be "")."""
    row = str(getattr(instance, "row_key", "") or "") if row_bound(type(instance)) else ""
    return f"{instance._meta.label}.{field.column}:{row}"


def _report_undecryptable(instance: models.Model, field: models.Field) -> None:
    """One security-log row per failed value (what, which row; never the ciphertext)."""
    from zeren.core.security import log_event

    try:
        log_event(
            "decrypt_failed",
            obj=instance,
            detail={"field": field.name, "model": instance._meta.label},
        )
    except Exception:
        import logging

        logging.getLogger("zeren.security").exception("decrypt_failed not logged")


class _EncryptedAttribute:
    """Decrypts on first read, with the row's associated data; caches the plaintext."""

    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        name = self.field.attname
        if name not in instance.__dict__:  # deferred (``only``/``defer``): load it now
            instance.refresh_from_db(fields=[name])
        value = instance.__dict__.get(name)
        if isinstance(value, Sealed):
            bound = row_bound(type(instance))
            try:
                value = crypto.decrypt(
                    str(value), associated_data(instance, self.field), legacy=not bound
                )
            except crypto.DecryptionError:
                token = str(value)
                value = Undecryptable(token)
                _report_undecryptable(instance, self.field)
            instance.__dict__[name] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Text stored as SM4-GCM ciphertext bound to its table, column and row; code sees text.

    Values are encrypted in ``pre_save`` (where the row is known) with associated data
    ``"app.Model.column:<row_key>"`` (see :func:`associated_data`); a model with a ``row_key``
    UUID field gets row binding, others column binding. Reading decrypts lazily; a value
    that fails (tampered, copied from another row/column, wrong key) reads as
    :data:`UNDECRYPTABLE` and writes a ``decrypt_failed`` security-log row instead of raising.
    ``QuerySet.update``/``bulk_update`` with plaintext are refused (no row to bind to).
    Lookups other than ``isnull``/empty cannot work on ciphertext: search through the companion
    :class:`BlindIndexField` instead.
    """

    description = "SM4 加密文本"

    def contribute_to_class(self, cls: type, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _EncryptedAttribute(self))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, Undecryptable):
            return Sealed(value.token)  # keep the evidence as it is
        if isinstance(value, Sealed):
            return value
        if value in (None, ""):
            return value
        return Sealed(crypto.encrypt(str(value), associated_data(model_instance, self)))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, "") or isinstance(value, Sealed):
            return None if value is None else str(value)
        raise ValueError(
            "加密字段不能按明文查询或用 update/bulk_update 写入：请用对应的 _hash 字段查询，整行保存"
        )

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return Sealed(value)


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
        if isinstance(plain, Undecryptable):
            return getattr(model_instance, self.attname)
        digest = crypto.blind_index(plain) if plain else (None if self.null else "")
        setattr(model_instance, self.attname, digest)
        return digest


def mask_id_number(value: str | None) -> str:
    """130525199001011234 -> 130*************34: the first 3 and the last 2 characters only.

    The birth date (digits 7-14), the county (digits 4-6) and the sequence number stay hidden,
    so neither the mask alone nor the mask beside a birth year gives the number back
    (GB/T 35273-2020 §3.14 and annex A: de-identification keeps no reversible part).
    Shorter values are starred completely.
    """
    if not value:
        return ""
    if isinstance(value, Undecryptable):
        return UNDECRYPTABLE
    if len(value) <= 10:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678; short numbers keep only their last two digits."""
    if not value:
        return ""
    if isinstance(value, Undecryptable):
        return UNDECRYPTABLE
    if len(value) >= 11:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def mask_account(value: str | None) -> str:
    """Bank account: only the last four digits stay visible."""
    if not value:
        return ""
    if isinstance(value, Undecryptable):
        return UNDECRYPTABLE
    return "*" * max(len(value) - 4, 0) + value[-4:]
