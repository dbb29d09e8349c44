"""Model fields for personal data: encrypted at rest, with a keyed hash for exact lookup."""

from __future__ import annotations

import json
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


class UndecryptableDict(dict):
    """An encrypted JSON object that failed to decrypt: every key reads as
    :data:`UNDECRYPTABLE`, its one item names the field; saving keeps the stored ciphertext."""

    def __init__(self, token: str, label: str) -> None:
        super().__init__({label: UNDECRYPTABLE})
        self.token = token

    def get(self, key: Any, default: Any = None) -> str:
        return UNDECRYPTABLE

    def __missing__(self, key: Any) -> str:
        if isinstance(key, str) and hasattr(dict, key):
            raise KeyError(key)  # templates look up ``items`` as a key before the method
        return UNDECRYPTABLE


def is_undecryptable(value: Any) -> bool:
    """Whether a value read from an encrypted field failed to decrypt."""
    return isinstance(value, (Undecryptable, UndecryptableDict))


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
                plain = crypto.decrypt(
                    str(value), associated_data(instance, self.field), legacy=not bound
                )
            except crypto.DecryptionError:
                value = self.field.undecryptable(str(value))
                _report_undecryptable(instance, self.field)
            else:
                value = self.field.from_plaintext(plain)
            instance.__dict__[name] = value
        elif value in (None, "") and self.field.empty_value_factory is not None:
            value = self.field.empty_value_factory()
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
    empty_value_factory: Any = None

    def from_plaintext(self, plain: str) -> Any:
        """The Python value of a decrypted text (text fields: the text itself)."""
        return plain

    def to_plaintext(self, value: Any) -> str:
        """The text that is encrypted for a Python value."""
        return str(value)

    def undecryptable(self, token: str) -> Any:
        """What a value that failed to decrypt reads as."""
        return Undecryptable(token)

    def contribute_to_class(self, cls: type, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _EncryptedAttribute(self))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if is_undecryptable(value):
            return Sealed(value.token)  # keep the evidence as it is
        if isinstance(value, Sealed):
            return value
        if value in (None, ""):
            return value
        if self.empty_value_factory is not None and not value:
            return ""
        plain = self.to_plaintext(value)
        return Sealed(crypto.encrypt(plain, associated_data(model_instance, self)))

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


class EncryptedJSONField(EncryptedTextField):
    """A JSON object (``dict``) stored as SM4-GCM ciphertext of its JSON text, bound like
    :class:`EncryptedTextField`; an empty object is stored as ``""``.

    Code reads and writes a ``dict``. A value that fails to decrypt reads as an
    :class:`UndecryptableDict` (each key reads 「无法解密」) and writes a ``decrypt_failed``
    security-log row. Nothing inside can be queried: the facts it holds (health facts of
    PIPL Art. 28) are read only through their row.
    """

    description = "SM4 加密 JSON"
    empty_value_factory = dict

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_plaintext(self, plain: str) -> Any:
        return json.loads(plain) if plain else {}

    def to_plaintext(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def undecryptable(self, token: str) -> Any:
        return UndecryptableDict(token, str(self.verbose_name))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            return value
        return super().to_python(value)

    def value_to_string(self, obj: models.Model) -> str:
        return self.to_plaintext(self.value_from_object(obj))

    def formfield(self, **kwargs: Any) -> Any:
        from django.forms import JSONField as JSONFormField

        return super(models.TextField, self).formfield(**{"form_class": JSONFormField, **kwargs})


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


def fill_row_keys(model: type[models.Model]) -> None:
    """Data migrations: give every row of ``model`` (a historical model) a random row key."""
    import uuid

    manager = model._base_manager
    for pk in manager.filter(row_key__isnull=True).values_list("pk", flat=True):
        manager.filter(pk=pk).update(row_key=uuid.uuid4())


def seal_existing_rows(
    model: type[models.Model],
    label: str,
    *,
    text: tuple[str, ...] = (),
    json_fields: tuple[str, ...] = (),
    rebind: tuple[str, ...] = (),
    hashes: dict[str, str] | None = None,
) -> int:
    """Data migrations: encrypt the plaintext kept so far, bound to table, column and row.

    ``model`` is the historical model (its columns already encrypted fields, its ``row_key``
    filled), ``label`` its ``"app.Model"``. ``text`` columns hold plain text; ``json_fields``
    hold JSON text (an empty object becomes ``""``); ``rebind`` columns hold ciphertext bound
    to the column only (``"label.column:"``, made before the model had a row key) and are
    re-encrypted bound to the row. ``hashes`` maps a blind-index column to its source column.
    Values already bound (``sm4g2:`` that decrypt with the row's data) are left alone, so a
    re-run changes nothing. Returns the number of rows changed.
    """
    hashes = hashes or {}
    names = (*text, *json_fields, *rebind)
    manager = model._base_manager
    changed = 0
    rows = manager.values_list("pk", "row_key", *names).order_by("pk")
    for pk, row_key, *values in rows.iterator(chunk_size=2000):
        changes: dict[str, Any] = {}
        plains: dict[str, str] = {}
        for name, value in zip(names, values, strict=True):
            column = model._meta.get_field(name).column
            aad = f"{label}.{column}:{row_key}"
            value = str(value or "")
            if not value:
                continue
            if name in rebind:
                try:
                    crypto.decrypt(value, aad)
                    continue  # already bound to the row
                except crypto.DecryptionError:
                    plain = crypto.decrypt(value, f"{label}.{column}:", legacy=True)
            elif value.startswith(crypto.PREFIX):
                continue
            elif name in json_fields:
                decoded = json.loads(value)
                if not decoded:
                    changes[name] = ""
                    continue
                plain = json.dumps(decoded, ensure_ascii=False, sort_keys=True)
            else:
                plain = value
            plains[name] = plain
            changes[name] = Sealed(crypto.encrypt(plain, aad))
        for index, source in hashes.items():
            if source in plains:
                changes[index] = crypto.blind_index(plains[source])
        if changes:
            manager.filter(pk=pk).update(**changes)
            changed += 1
    return changed
