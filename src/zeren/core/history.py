"""The change log and the security log as a reader sees them: in Chinese, field by field.

A log row keeps the raw snapshot (attribute names, codes, primary keys, ISO dates) because the
hash chain covers it; this module only *presents* rows:

- :func:`describe_changes` turns :class:`~zeren.core.models.ChangeLog` rows into
  :class:`ChangeRow` (model and field verbose names, choice labels, related objects by their
  display name, JSON as label/value lists, 是/否, local times);
- :func:`describe_events` turns :class:`~zeren.core.models.SecurityEvent` rows into
  :class:`EventRow` (kind label, the object's type by its verbose name, detail keys in Chinese);
- users appear by their name, the login kept for a tooltip (:class:`Person`).

Personal data never appears decrypted: encrypted columns are logged as a keyed fingerprint
(``●1a2b3c4d``) and shown as 「加密内容」, and rows or related objects that hold encrypted
columns are named by their model only (their ``str`` would decrypt a name).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from zeren.core.fields import EncryptedTextField

EMPTY = "（空）"
ENCRYPTED = "加密内容"
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "seq", "prev_hash", "row_hash"}

# What the services write into SecurityEvent.detail, in Chinese (keys and a few coded values).
DETAIL_LABELS = {
    "what": "事项",
    "format": "格式",
    "rate": "限流",
    "rows": "行数",
    "row": "行",
    "count": "数量",
    "year": "年度",
    "version": "版本",
    "fields": "字段",
    "field": "字段",
    "document": "文书",
    "reference": "编号",
    "criteria": "查询条件",
    "action": "操作",
    "object": "对象类型",
    "model": "对象类型",
    "pk": "对象",
    "message": "说明",
    "user": "账号",
    "changes": "变更",
    "share": "共享",
    "period": "期间",
    "api": "接口调用",
    "device": "验证器",
    "filters": "筛选条件",
    "codes": "代码",
    "next": "后续地址",
    "json": "数据",
    "pdf": "PDF",
    "before": "修改前",
    "after": "修改后",
}
DETAIL_VALUES = {
    "xlsx": "Excel",
    "docx": "Word",
    "pdf": "PDF",
    "csv": "CSV",
    "json": "JSON",
    "verify": "证件核验",
    "report": "举报投诉",
    "lookup": "查询",
    "apply": "网上申请",
    "reveal": "查看完整信息",
    "reporter_identity": "查看举报人身份",
    "TOTPDevice": "手机验证器",
    "StaticDevice": "恢复码",
    "id_number": "身份证号码",
    "bank_account": "银行账号",
    "reporter_name": "举报人姓名",
    "reporter_phone": "举报人电话",
    True: "是",
    False: "否",
}


@dataclass(frozen=True)
class Person:
    """A user as shown in a log: ``name`` (full name, or the login when none) and ``login``."""

    name: str
    login: str


@dataclass(frozen=True)
class FieldChange:
    """One field of a change: Chinese ``label``; ``before``/``after`` display texts (lists of
    ``(label, value)`` pairs for JSON objects); ``kind`` is ``added``, ``removed`` or
    ``changed``."""

    label: str
    before: Any
    after: Any
    kind: str


@dataclass
class ChangeRow:
    row: Any
    model: str
    action: str
    object: str
    actor: Person
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class EventRow:
    row: Any
    kind: str
    user: Person
    object: str
    detail: list[tuple[str, str]]


def model_label(label: str) -> str:
    """``"certificates.Certificate"`` (any case) → ``"证件"``; unknown labels → ``"其他对象"``."""
    model = _model(label)
    return str(model._meta.verbose_name) if model else "其他对象"


def _model(label: str) -> type[models.Model] | None:
    if not label or "." not in label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def holds_personal_data(model: type[models.Model]) -> bool:
    """Rows with an encrypted column whose ``str`` would decrypt personal data (a model whose
    ``str`` uses none of them says so with ``audit_str_is_safe = True``)."""
    if getattr(model, "audit_str_is_safe", False):
        return False
    return any(isinstance(f, EncryptedTextField) for f in model._meta.concrete_fields)


def people(ids: Iterable[Any]) -> dict[Any, Person]:
    """Users by primary key → :class:`Person` (one query)."""
    wanted = {i for i in ids if i is not None}
    users = get_user_model()._base_manager.filter(pk__in=wanted) if wanted else []
    return {
        u.pk: Person(getattr(u, "name", "") or u.get_username(), u.get_username()) for u in users
    }


def person_of(actor_id: Any, fallback: str, known: dict[Any, Person]) -> Person:
    """The :class:`Person` of ``actor_id`` among ``known`` (from :func:`people`); else the
    recorded ``fallback`` name (a system label such as 「定时任务」), else 「系统」."""
    if actor_id in known:
        return known[actor_id]
    if not fallback:
        return Person("系统", "")
    return Person(fallback, fallback)


# --- values -------------------------------------------------------------------------------

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _text(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        if value.startswith("●"):
            return ENCRYPTED
        if _ISO_DATETIME.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M")
        return value
    if isinstance(value, (list, tuple)):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{_key(k)}：{_text(v)}" for k, v in value.items())
    return str(value)


def _key(key: Any) -> str:
    return DETAIL_LABELS.get(key, str(key)) if isinstance(key, str) else str(key)


def _json(value: Any, labels: dict[str, str]) -> Any:
    """A JSON object → ``[(label, text), ...]``; anything else → its text."""
    if isinstance(value, dict) and value:
        return [(labels.get(k, _key(k)), _text(v)) for k, v in value.items()]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [(str(i), _text(v)) for i, v in enumerate(value, start=1)]
    return _text(value)


class _Resolver:
    """Related objects' display names, fetched once per model for a whole page of rows."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], Any], str] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk not in (None, ""):
            self.wanted[model].add(pk)

    def fetch(self) -> None:
        user_model = get_user_model()
        for model, pks in self.wanted.items():
            if model is user_model:
                for pk, person in people(pks).items():
                    self.names[(model, pk)] = person.name
                continue
            if holds_personal_data(model):
                continue  # named by the model only (see name())
            for obj in model._base_manager.filter(pk__in=pks):
                self.names[(model, obj.pk)] = str(obj)

    def name(self, model: type[models.Model], pk: Any) -> str:
        if pk in (None, ""):
            return EMPTY
        if holds_personal_data(model):
            return f"{model._meta.verbose_name}（个人信息不在日志中显示）"
        return self.names.get((model, pk), f"已删除的{model._meta.verbose_name}")


def _fields_by_attname(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _display(
    f: models.Field, value: Any, resolver: _Resolver, labels: dict[str, str], extra: dict
) -> Any:
    if isinstance(f, EncryptedTextField):
        return ENCRYPTED if value else EMPTY
    if f.is_relation and f.related_model is not None:
        return resolver.name(f.related_model, value)
    if f.choices or f.attname in extra:
        flat = f.flatchoices if f.choices else extra[f.attname]
        choices = {str(k): str(v) for k, v in flat}
        if isinstance(value, list):
            return "、".join(choices.get(str(v), str(v)) for v in value) or EMPTY
        return choices.get(str(value), _text(value)) if value not in (None, "") else EMPTY
    if isinstance(f, models.JSONField):
        return _json(value, labels)
    return _text(value)


def _labelled(f: models.Field) -> bool:
    """A field with a Chinese label; one without (``row_key``) is technical and not shown."""
    return str(f.verbose_name) != f.name.replace("_", " ")


def _field_order(model: type[models.Model] | None, keys: set[str]) -> list[str]:
    """Keys in the model's field order (unknown keys last, sorted)."""
    order = [f.attname for f in model._meta.concrete_fields] if model else []
    return [k for k in order if k in keys] + sorted(keys - set(order))


def _fact_labels(model: type[models.Model], snapshot: dict[str, Any]) -> dict[str, str]:
    """Labels of a model's JSON keys: the model's ``audit_labels(snapshot)`` when it has one."""
    labels = {f.attname: str(f.verbose_name) for f in model._meta.concrete_fields}
    labels.update({f.name: str(f.verbose_name) for f in model._meta.concrete_fields})
    hook = getattr(model, "audit_labels", None)
    if callable(hook):
        labels.update(hook(snapshot))
    return labels


def _object_name(row: Any, model: type[models.Model] | None) -> str:
    if model is not None and holds_personal_data(model):
        return str(model._meta.verbose_name)
    return re.sub(r"#\d+$", "", row.object_repr) or (
        str(model._meta.verbose_name) if model else "其他对象"
    )


def describe_changes(rows: Sequence[Any]) -> list[ChangeRow]:
    """ChangeLog rows → :class:`ChangeRow`, in the same order (a fixed number of queries)."""
    resolver = _Resolver()
    plans = []
    for row in rows:
        model = row.content_type.model_class() if row.content_type_id else None
        before, after = row.before or {}, row.after or {}
        fields = _fields_by_attname(model) if model else {}
        hidden = HIDDEN_FIELDS | set(getattr(model, "audit_hidden", ()))
        keys = [
            k
            for k in _field_order(model, set(before) | set(after))
            if before.get(k) != after.get(k) and k not in hidden
        ]
        if row.action == "bulk":
            keys = [k for k in after if k not in HIDDEN_FIELDS]
        for k in keys:
            f = fields.get(k)
            if f is not None and f.is_relation and f.related_model is not None:
                resolver.want(f.related_model, before.get(k))
                resolver.want(f.related_model, after.get(k))
        plans.append((row, model, fields, keys, before, after))
    resolver.fetch()
    known = people(row.actor_id for row in rows)
    out = []
    for row, model, fields, keys, before, after in plans:
        labels = _fact_labels(model, after or before) if model else {}
        changes = []
        if row.action == "create":
            keys = [k for k in keys if after.get(k) not in (None, "", [], {})]
        keys = [k for k in keys if k not in fields or _labelled(fields[k])]
        for k in keys:
            f = fields.get(k)
            if row.action == "bulk":
                changes.append(FieldChange(_key(k), EMPTY, _json(after.get(k), labels), "added"))
                continue
            label = str(f.verbose_name) if f is not None else "已不存在的字段"
            if f is None:
                old, new = _text(before.get(k)), _text(after.get(k))
            else:
                extra = getattr(model, "audit_choices", {})
                old = _display(f, before.get(k), resolver, labels, extra)
                new = _display(f, after.get(k), resolver, labels, extra)
            if k not in before or before.get(k) in (None, "", [], {}):
                kind = "added"
            elif k not in after or after.get(k) in (None, "", [], {}):
                kind = "removed"
            else:
                kind = "changed"
            changes.append(FieldChange(label, old, new, kind))
        out.append(
            ChangeRow(
                row=row,
                model=str(model._meta.verbose_name) if model else "其他对象",
                action=row.get_action_display(),
                object=_object_name(row, model),
                actor=person_of(row.actor_id, row.actor_name, known),
                changes=changes,
            )
        )
    return out


def describe_events(rows: Sequence[Any]) -> list[EventRow]:
    """SecurityEvent rows → :class:`EventRow`, in the same order (a fixed number of queries)."""
    resolver = _Resolver()
    for row in rows:
        model = _model(row.object_type)
        if model is not None and row.object_id.isdecimal():
            resolver.want(model, int(row.object_id))
    resolver.fetch()
    known = people(row.actor_id for row in rows)
    out = []
    for row in rows:
        model = _model(row.object_type)
        if model is None:
            obj = "" if not row.object_type else "其他对象"
        elif row.object_id.isdecimal():
            name = resolver.name(model, int(row.object_id))
            obj = (
                name
                if name.startswith(str(model._meta.verbose_name))
                else (f"{model._meta.verbose_name}：{name}")
            )
        else:
            obj = str(model._meta.verbose_name)
        out.append(
            EventRow(
                row=row,
                kind=row.get_kind_display(),
                user=person_of(row.actor_id, row.username, known),
                object=obj,
                detail=_detail(row.detail or {}, model),
            )
        )
    return out


def _detail(detail: dict[str, Any], model: type[models.Model] | None) -> list[tuple[str, str]]:
    pairs = []
    for key, value in detail.items():
        if key == "pk":
            continue  # the object's internal number: the object column names it
        label = _key(key)
        if key in ("object", "model") and isinstance(value, str):
            text = model_label(value)
        elif key in ("fields", "field", "criteria") and model is not None:
            names = {f.name: str(f.verbose_name) for f in model._meta.concrete_fields}
            values = value if isinstance(value, list) else [value]
            text = "、".join(names.get(v, _detail_value(v)) for v in values)
        elif key == "user" and isinstance(value, str):
            user = get_user_model()._base_manager.filter(username=value).first()
            text = (getattr(user, "name", "") or value) if user else value
        elif key == "changes" and isinstance(value, dict):
            text = _field_changes(value, model or get_user_model())
        elif isinstance(value, list):
            text = "、".join(_detail_value(v) for v in value) or EMPTY
        else:
            text = _detail_value(value)
        pairs.append((label, text))
    return pairs


def _field_changes(changes: dict[str, Any], model: type[models.Model]) -> str:
    """``{"role": [None, "officer"]}`` → ``角色：（空）→ 执法人员`` by the model's fields."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    fields.update({f.attname: f for f in model._meta.concrete_fields})
    parts = []
    for name, pair in changes.items():
        f = fields.get(name)
        label = str(f.verbose_name) if f is not None else _key(name)
        old, new = pair if isinstance(pair, (list, tuple)) and len(pair) == 2 else (None, pair)
        if old in (None, "") and new in (None, ""):
            continue
        if name == "password":
            parts.append(f"{label}：已修改")
            continue
        if name == "username" and old in (None, ""):
            continue  # a new account: its login is the account itself, named by the user column
        if f is not None and f.choices:
            choices = {str(k): str(v) for k, v in f.flatchoices}
            old, new = (choices.get(str(v), v) if v not in (None, "") else v for v in (old, new))
        elif f is not None and f.is_relation and f.related_model is not None:
            old, new = (_related_name(f.related_model, v) for v in (old, new))
        parts.append(f"{label}：{_detail_value(old)} → {_detail_value(new)}")
    return "；".join(parts)


def _related_name(model: type[models.Model], pk: Any) -> Any:
    if pk in (None, ""):
        return pk
    resolver = _Resolver()
    resolver.want(model, pk)
    resolver.fetch()
    return resolver.name(model, pk)


def _detail_value(value: Any) -> str:
    if isinstance(value, (str, bool)) and value in DETAIL_VALUES:
        return DETAIL_VALUES[value]
    return _text(value)
