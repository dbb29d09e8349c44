"""The one way to tell staff something: ``notify`` writes a ``core.Notification``; the inbox
(``/staff/core/inbox/``) lists them with the unread count in the staff menu.

Deadlines of cases, supervision's bulletins, reminders and alerts, and the statistics'
early warnings all arrive here (kinds: deadline, bulletin, alert, reminder).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zeren.core.models import Notification

Kind = Notification.Kind


def notify(
    *,
    kind: str,
    title: str,
    recipient: Any = None,
    division: Any = None,
    body: str = "",
    link: str = "",
    due_on: dt.date | None = None,
    document: bytes | None = None,
    document_name: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Write one notification; ``None`` when ``dedupe_key`` was already used (a rerun).

    ``kind`` is one of ``Notification.Kind``; ``recipient`` a user, or ``None`` with a
    ``division`` for every staff member whose jurisdiction holds it; ``link`` a site path the
    inbox links to; ``due_on`` the date the matter is due. Raises ``ValueError`` for an
    unknown kind, an empty title, or neither recipient nor division.
    """
    if kind not in Kind.values:
        raise ValueError(f"未知的通知类别：{kind}")
    if not title.strip():
        raise ValueError("通知须有标题")
    if recipient is None and division is None:
        raise ValueError("通知须有接收人或发往的区划")
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                kind=kind,
                title=title.strip()[:300],
                recipient=recipient,
                division=division,
                body=body,
                link=link,
                due_on=due_on,
                document=document,
                document_name=document_name,
                dedupe_key=dedupe_key or None,
            )
    except IntegrityError:
        if dedupe_key:  # another worker wrote it first
            return None
        raise


def notify_many(rows: list[Notification]) -> int:
    """Insert prepared notifications at once (unsaved ``Notification`` objects with a
    ``dedupe_key`` each); rows whose key exists are skipped. Returns how many were added."""
    if not rows:
        return 0
    keys = [r.dedupe_key for r in rows]
    before = Notification.objects.filter(dedupe_key__in=keys).count()
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return Notification.objects.filter(dedupe_key__in=keys).count() - before


# A message sent to a whole division reaches only the staff who may open what it links to: an
# early warning links to the statistics page, which officers and partners cannot open.
BROADCAST_PERMISSION = {Kind.ALERT: "statistics.view_birth"}


def send_from_job(rows: list[Notification], *, job: str, actor: str, summary: str) -> int:
    """A periodic job's notifications, sent once: under ``job``'s exclusive lock (one worker at
    a time, so the count is this run's own), ``notify_many`` skips the rows whose dedupe key was
    already used, and a bulk change-log row by ``actor`` (「期限提醒任务」) counts what was
    added, under ``summary``; nothing is logged when nothing was added. Returns that count."""
    from zeren.core import transitions
    from zeren.core.audit import acting_as, log_bulk

    with transaction.atomic(), acting_as(actor):
        transitions.exclusive(job)
        created = notify_many(rows)
        if created:
            log_bulk(Notification, summary, {"created": created})
    return created


def inbox(user: Any) -> QuerySet[Notification]:
    """What ``user`` sees: its own notifications and those sent to a division it oversees
    (of a kind in ``BROADCAST_PERMISSION`` only with that permission)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    broadcast = Notification.objects.restrict(user, "view").filter(recipient__isnull=True)
    hidden = [kind for kind, perm in BROADCAST_PERMISSION.items() if not user.has_perm(perm)]
    if hidden:
        broadcast = broadcast.exclude(kind__in=hidden)
    return Notification.objects.filter(
        Q(recipient=user) | Q(pk__in=broadcast.values("pk"))
    ).select_related("division")


def unread_count(user: Any) -> int:
    """The user's own unread notifications (the number in the staff menu)."""
    if user is None or not user.is_authenticated:
        return 0
    read_with_the_user = getattr(user, "inbox_unread", False)
    if read_with_the_user is not False:  # core.backends.RoleBackend.get_user
        return read_with_the_user or 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_all_read(user: Any) -> int:
    """Mark every unread notification addressed to ``user`` read; returns how many."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_read(user: Any, notification: Notification) -> None:
    """The recipient has seen it (broadcasts have no one reader and stay as they are)."""
    if notification.recipient_id == getattr(user, "pk", None) and notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
