"""Shared kernel models: the change log and the security log (both append-only)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from zeren.core.scope import ScopedManager


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a log row."""


class AppendOnlyModel(models.Model):
    """A row that can be written once and never changed or deleted (the database agrees)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能删除")


class LogChain(models.Model):
    """The head of one log's hash chain: last position and HMAC, locked by every insert.

    ``base_seq``/``base_hash`` are where the chain starts after an archive removed the oldest
    rows (0 and "" until then).
    """

    name = models.CharField("日志", max_length=50, unique=True)
    seq = models.BigIntegerField("最后序号", default=0)
    last_hash = models.CharField("最后校验值", max_length=64, blank=True)
    base_seq = models.BigIntegerField("起始序号", default=0)
    base_hash = models.CharField("起始校验值", max_length=64, blank=True)

    class Meta:
        verbose_name = "日志校验链"
        verbose_name_plural = "日志校验链"

    def __str__(self) -> str:
        return f"{self.name} #{self.seq}"


class KeyFingerprint(models.Model):
    """The fingerprint of each key the database was initialised with (never the key).

    A process started with other keys would write data nobody can read later; it refuses to
    start instead (:func:`zeren.core.keys.check_keys`).
    """

    kind = models.CharField("密钥", max_length=20, unique=True)
    fingerprint = models.CharField("指纹", max_length=64)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "密钥指纹"
        verbose_name_plural = "密钥指纹"

    def __str__(self) -> str:
        return f"{self.kind} {self.fingerprint[:8]}…"


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def chain_payload(row: Any, fields: tuple[str, ...]) -> bytes:
    """The bytes a log row's HMAC covers: canonical JSON of ``fields`` (attribute names)."""
    data = {name: _canonical(getattr(row, name)) for name in fields}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()


class ChainedLogModel(AppendOnlyModel):
    """An append-only log whose rows form a hash chain (HMAC-SM3 under the audit key).

    Each row stores its position ``seq``, the previous row's ``row_hash`` and its own
    ``row_hash = HMAC-SM3(audit key, canonical JSON of every column but id and row_hash)``.
    Inserts lock the chain head (:class:`LogChain`, ``SELECT … FOR UPDATE``), so concurrent
    writers are serialised and the chain never forks. Changing, removing or inserting a row
    behind the application's back breaks the chain at that row (``zeren audit verify``).
    """

    seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField("前一条校验值", max_length=64, blank=True, editable=False)
    row_hash = models.CharField("校验值", max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    #: the columns the HMAC covers, fixed so that a later column does not change old digests
    chain_fields: tuple[str, ...] = ()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能修改")
        from zeren.core import crypto

        with transaction.atomic():
            head = LogChain.objects.select_for_update().filter(name=self._meta.label).first()
            if head is None:
                LogChain.objects.get_or_create(name=self._meta.label)
                head = LogChain.objects.select_for_update().get(name=self._meta.label)
            self.seq = head.seq + 1
            self.prev_hash = head.last_hash
            self.row_hash = crypto.audit_mac(self.chain_payload())
            # The head moves before the insert: the insert's post_save receivers may append
            # rows themselves (a ledger record written on a log_bulk row logs its own change),
            # and those must chain after this row, not collide with its position. A failed
            # insert rolls the head back with it (same transaction).
            LogChain.objects.filter(pk=head.pk).update(seq=self.seq, last_hash=self.row_hash)
            super().save(*args, **kwargs)

    def chain_payload(self) -> bytes:
        """The bytes the row's HMAC covers (stable across a database round trip)."""
        return chain_payload(self, self.chain_fields)


class ChangeLog(ChainedLogModel):
    """Who changed which domain object when, with its state before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        BULK = "bulk", "批量操作"

    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField("操作人名称", max_length=150, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    chain_fields = (
        "seq", "prev_hash", "time", "actor_id", "actor_name", "request_id", "ip", "action",
        "content_type_id", "object_id", "object_repr", "before", "after",
    )  # fmt: skip

    class Meta:
        verbose_name = "变更日志"
        verbose_name_plural = "变更日志"
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


class SecurityEvent(ChainedLogModel):
    """Logins, failed logins, permission denials, reveals of personal data and exports."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        LOGIN_FAILED = "login_failed", "登录失败"
        DENIED = "denied", "越权访问"
        REVEAL = "reveal", "查看敏感信息"
        EXPORT = "export", "导出"
        ACCOUNT = "account", "账号与权限变更"
        SECOND_FACTOR = "otp", "双因素认证"
        VIEW = "view", "查看个人信息"
        SEARCH = "search", "查询个人信息"
        DECRYPT_FAILED = "decrypt_failed", "无法解密"

    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    path = models.CharField("地址", max_length=300, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    chain_fields = (
        "seq", "prev_hash", "time", "kind", "actor_id", "username", "ip", "path",
        "request_id", "object_type", "object_id", "detail",
    )  # fmt: skip

    class Meta:
        verbose_name = "安全日志"
        verbose_name_plural = "安全日志"
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["username", "kind", "time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()}"


class AuditedModel(models.Model):
    """Domain data: every create, update and delete lands in the change log.

    ``bulk_create``/``bulk_update`` bypass the per-row log; services that use them record one
    :func:`zeren.core.audit.log_bulk` entry instead.
    """

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    audit_exclude: tuple[str, ...] = ("created_at", "updated_at")

    class Meta:
        abstract = True


class CalendarYear(AuditedModel):
    """A year whose statutory rest days and make-up working days are fully entered.

    Deadline arithmetic refuses any year that has no row here: it never guesses.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField(
        "依据", max_length=200, help_text="如：国务院办公厅关于某年部分节假日安排的通知"
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "工作日历年度"
        verbose_name_plural = "工作日历年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(AuditedModel):
    """A statutory rest day (法定休假日) or a make-up working day (调休上班日)."""

    class Kind(models.TextChoices):
        REST = "rest", "法定休假日"
        WORK = "work", "调休上班日"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=4, choices=Kind.choices)
    name = models.CharField("节日", max_length=50, blank=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.date and self.kind == self.Kind.WORK and self.date.weekday() < 5:
            raise ValidationError({"kind": "调休上班日只能是星期六或星期日"})


class Share(AuditedModel):
    """An object made visible to a partner department (health, police, food and drug)."""

    department = models.ForeignKey(
        "org.Department", verbose_name="共享给", on_delete=models.CASCADE, related_name="shares"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    reason = models.CharField("共享事由", max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="共享人", on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("共享时间", default=timezone.now)
    expires_on = models.DateField("截止日期", null=True, blank=True)

    class Meta:
        verbose_name = "数据共享"
        verbose_name_plural = "数据共享"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "content_type", "object_id"], name="share_once"
            )
        ]
        indexes = [models.Index(fields=["department", "content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type} #{self.object_id} → {self.department}"


class RateWindow(models.Model):
    """How many public requests one client made in one clock hour for one purpose.

    The one store of ``core.ratelimit``. The client is a keyed hash of its address, never the
    address itself; one row per scope, client and hour; a conditional UPDATE takes a slot, so
    several workers and hosts on one database agree.
    """

    scope = models.CharField("用途", max_length=20)
    client_hash = models.CharField("来源摘要", max_length=64)
    window_start = models.DateTimeField("时段起", db_index=True)
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        verbose_name = "公众访问频次"
        verbose_name_plural = "公众访问频次"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "client_hash", "window_start"],
                name="core_rate_window_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H}:00 {self.count}"


class Counter(models.Model):
    """The last number given for one kind of document of one authority in one year.

    Taken only through :func:`zeren.core.sequences.next_value` (under a row lock). Not
    change-logged itself: the numbered document's own log row records the number.
    """

    authority = models.CharField("机关", max_length=64)
    kind = models.CharField("文号种类", max_length=64)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [
            models.UniqueConstraint(fields=["authority", "kind", "year"], name="counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.kind} {self.year}: {self.last}"


class Notification(models.Model):
    """One message in the staff inbox: a deadline, a bulletin, an alert or a reminder.

    Addressed to one user (``recipient``), or, with no recipient, to every staff member whose
    jurisdiction holds ``division`` (a township's bulletin). ``dedupe_key`` makes a rerun of a
    job, or a second worker, add nothing. Written through ``core.notifications.notify``.
    """

    class Kind(models.TextChoices):
        DEADLINE = "deadline", "期限提醒"
        BULLETIN = "bulletin", "通报"
        ALERT = "alert", "预警"
        REMINDER = "reminder", "提醒"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    division = models.ForeignKey(
        "org.Division",
        verbose_name="发往",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    due_on = models.DateField("期限日", null=True, blank=True)
    document = models.BinaryField("附件", null=True, blank=True)
    document_name = models.CharField("附件名", max_length=100, blank=True)
    dedupe_key = models.CharField("去重键", max_length=160, unique=True, null=True, blank=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    scope_division = "division"
    objects = ScopedManager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | models.Q(division__isnull=False),
                name="notification_has_an_address",
            )
        ]

    def __str__(self) -> str:
        return self.title
