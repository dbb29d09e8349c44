"""Automatic records: the capabilities' work noticed where it lands, no edit in their code.

Each watch names a model, the change that counts as the work being done (read from the
change log's before/after snapshots, which ``core.audit`` takes for every audited model),
the event key that :class:`~zeren.ledger.models.EventMapping` maps to work items, the date
and the division. Set-based writes (births imports) are seen through their ``log_bulk`` row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_save
from django.utils import timezone


def _local_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _became(field: str, value: Any = None) -> Callable[[dict | None, Any], bool]:
    """The field reached ``value`` (or, with None, went from empty to set) in this save."""

    def changed(before: dict | None, instance: Any) -> bool:
        old = (before or {}).get(field)
        new = getattr(instance, field)
        if value is None:
            return not old and bool(new)
        return new == value and old != value

    return changed


@dataclass(frozen=True)
class Watch:
    model: str  # app_label.ModelName
    event_key: str
    happened: Callable[[dict | None, Any], bool]
    date: Callable[[Any], dt.date]
    division: Callable[[Any], Any]  # a Division id or None (the county)
    summary: Callable[[Any], str]
    on_create: bool = False  # AppendOnly rows: the creation is the event


WATCHES = [
    Watch(
        "supervision.SamplingPlan",
        "supervision.plan_drawn",
        _became("status", "drawn"),
        lambda o: _local_date(o.drawn_at or timezone.now()),
        lambda o: o.division_id,
        lambda o: f"随机抽查计划 {o.period} 第{o.round}轮已抽取",
    ),
    Watch(
        "supervision.InspectionTask",
        "supervision.task_result",
        lambda before, o: (
            (before or {}).get("result", "pending") == "pending" and o.result != "pending"
        ),
        lambda o: o.visit_date or timezone.localdate(),
        lambda o: o.township_id,
        lambda o: f"监管检查任务 #{o.pk} 结果：{o.get_result_display()}",
    ),
    Watch(
        "cases.Case",
        "cases.case_closed",
        _became("closed_on"),
        lambda o: o.closed_on,
        lambda o: o.township_id,
        lambda o: f"执法案件 {getattr(o, 'number', '') or o.pk} 已结案",
    ),
    Watch(
        "funds.Campaign",
        "funds.campaign_closed",
        _became("status", "closed"),
        lambda o: timezone.localdate(),
        lambda o: None,
        lambda o: f"{o.title}已结束",
    ),
    Watch(
        "certificates.Certificate",
        "certificates.certificate_issued",
        _became("issued_on"),
        lambda o: o.issued_on,
        lambda o: o.township_id,
        lambda o: f"证明 {getattr(o, 'number', '') or o.pk} 已发证",
    ),
    Watch(
        "statistics.Alert",
        "statistics.alert_raised",
        lambda before, o: True,
        lambda o: _local_date(o.created_at),
        lambda o: o.division_id,
        lambda o: f"{o.period} {o.get_indicator_display()}预警（{o.get_level_display()}）",
        on_create=True,
    ),
]


def _handler(watch: Watch) -> Callable[..., None]:
    def handle(sender: type, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
        if raw:
            return
        if watch.on_create:
            if not created:
                return
        elif not watch.happened(
            None if created else getattr(instance, "_audit_before", None), instance
        ):
            return
        from zeren.ledger.services import record_automatic

        record_automatic(
            event_key=watch.event_key,
            obj=instance,
            date=watch.date(instance),
            division_id=watch.division(instance),
            summary=watch.summary(instance),
        )

    return handle


@dataclass(frozen=True)
class BulkWatch:
    """A set-based write over ``model`` (seen by its ``log_bulk`` row) that is the event."""

    model: str  # app_label.modelname, lower case
    event_key: str
    happened: Callable[[str], bool] = lambda summary: True  # on the row's summary


BULK_WATCHES = [
    BulkWatch("statistics.birth", "statistics.births_imported"),
    BulkWatch("statistics.alert", "statistics.alert_raised"),
    BulkWatch("funds.verification", "funds.verification_recorded"),
    # Expiry is also written in bulk over certificates; only issuance is the duty's work.
    BulkWatch(
        "certificates.certificate", "certificates.certificate_issued", lambda s: "届满" not in s
    ),
]


def _bulk_handler(sender: type, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    """A ``log_bulk`` row over a watched model (an import, a batch) is the event."""
    if raw or not created or instance.action != "bulk":
        return
    model = instance.content_type.model_class()
    if model is None:
        return
    from zeren.ledger.services import record_automatic

    for watch in BULK_WATCHES:
        if watch.model == model._meta.label_lower and watch.happened(instance.object_repr):
            record_automatic(
                event_key=watch.event_key,
                obj=instance,
                date=_local_date(instance.time),
                division_id=None,
                summary=instance.object_repr,
            )


def _version_published(
    sender: type, instance: Any, created: bool, raw: bool = False, **kw: Any
) -> None:
    """A list version just published: map the previous version's items and carry the open
    plans across (records stay under the version in force on their date)."""
    if raw or not _became("status", "published")(
        None if created else getattr(instance, "_audit_before", None), instance
    ):
        return
    from zeren.ledger.services import version_carry_over

    version_carry_over(version=instance)


_handlers: list[Callable[..., None]] = []


def connect() -> None:
    """Connect every watch (called once from the app's ready())."""
    from django.apps import apps

    for watch in WATCHES:
        app_label, _name = watch.model.split(".")
        if not apps.is_installed(f"zeren.{app_label}"):
            continue
        handler = _handler(watch)
        _handlers.append(handler)  # signals hold weak references
        post_save.connect(handler, sender=watch.model, dispatch_uid=f"ledger:{watch.event_key}")
    post_save.connect(_bulk_handler, sender="core.ChangeLog", dispatch_uid="ledger:bulk")
    post_save.connect(
        _version_published, sender="catalogue.ListVersion", dispatch_uid="ledger:version"
    )
