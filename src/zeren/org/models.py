"""Divisions, departments, sections, staff accounts and officers with their certificates."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from zeren.core.models import AuditedModel
from zeren.core.roles import NEVER_GRANTED, Role


class Division(AuditedModel):
    """An administrative division; ``path`` holds the codes from the root for subtree queries."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县"
        TOWNSHIP = "township", "乡镇"
        VILLAGE = "village", "村"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        prefix = self.parent.path if self.parent_id else "/"
        self.path = f"{prefix}{self.code}/"
        super().save(*args, **kwargs)

    def is_within(self, other: Division) -> bool:
        return self.path.startswith(other.path)

    def ancestor_at(self, level: str) -> Division | None:
        node: Division | None = self
        while node is not None and node.level != level:
            node = node.parent
        return node


class Department(AuditedModel):
    """The bureau itself or a partner department, each serving one county."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", "本局"
        PARTNER = "partner", "协作部门"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=20)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    division = models.ForeignKey(
        Division, verbose_name="所属区划", on_delete=models.PROTECT, related_name="departments"
    )

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["division", "short_name"], name="department_name_once")
        ]

    def __str__(self) -> str:
        return self.short_name


class Section(AuditedModel):
    """A unit inside a department (股, 站, 办公室, 协会)."""

    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField("名称", max_length=50)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["department", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="section_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class User(AuditedModel, AbstractUser):
    """A staff account: belongs to a department and section, optionally a township.

    Change-logged like domain data (creation, role and flag changes, deactivation); the
    password hash and the last-login time stay out of the snapshots.
    """

    audit_exclude = ("created_at", "updated_at", "password", "last_login")

    name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.SECTION)
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    section = models.ForeignKey(
        Section,
        verbose_name="科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    township = models.ForeignKey(
        Division,
        verbose_name="乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        limit_choices_to={"level": Division.Level.TOWNSHIP},
    )

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.name or self.username

    def has_perm(self, perm: str, obj=None) -> bool:
        # Django lets a superuser do anything; the logs stay read-only even for them.
        if perm in NEVER_GRANTED:
            return False
        return super().has_perm(perm, obj)

    @property
    def jurisdiction(self) -> Division | None:
        """The division whose subtree this user's data scope covers."""
        if self.township_id is not None:
            return self.township
        if self.department_id is not None:
            return self.department.division
        return None


class Officer(AuditedModel):
    """A staff member qualified for administrative enforcement (执法人员)."""

    user = models.OneToOneField(
        User, verbose_name="用户", on_delete=models.PROTECT, related_name="officer"
    )
    village = models.ForeignKey(
        Division,
        verbose_name="户籍所在村",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="用于回避：不抽派到本村的检查对象",
    )

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"

    def __str__(self) -> str:
        return str(self.user)

    def certificate_on(self, day: dt.date) -> EnforcementCertificate | None:
        """The certificate valid on ``day``, if any."""
        return self.certificates.filter(
            valid_from__lte=day, valid_to__gte=day, revoked_on__isnull=True
        ).first()


class EnforcementCertificate(AuditedModel):
    """An officer's enforcement certificate (行政执法证, 执法证): renewals add rows, history stays.

    Not the free certificates a township issues (``certificates.Certificate``).
    """

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField("证件编号", max_length=40, unique=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    revoked_on = models.DateField("注销日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政执法证"
        verbose_name_plural = "行政执法证"
        ordering = ["-valid_to"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="certificate_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["officer", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        return self.revoked_on is None and self.valid_from <= day <= self.valid_to


class DocumentSettings(AuditedModel):
    """What a department's official documents name: review body, court, where to pay.

    The review body is, for a county department, the county people's government (行政复议法
    2023 第二十四条); the court is the one that hears the department's administrative cases
    (行政诉讼法 第十四条、第十八条; a province may concentrate them in another court, which is
    why it is data). The bank and account are where fines and fees are paid (行政处罚法
    第六十七条: 到指定的银行或者通过电子支付系统缴纳).
    """

    department = models.OneToOneField(
        Department,
        verbose_name="部门",
        on_delete=models.CASCADE,
        related_name="document_settings",
    )
    review_body = models.CharField(
        "行政复议机关", max_length=100, help_text="例：隆尧县人民政府（行政复议法第二十四条）"
    )
    court = models.CharField(
        "行政诉讼管辖法院", max_length=100, help_text="例：隆尧县人民法院（行政诉讼法第十八条）"
    )
    bank_name = models.CharField(
        "缴款银行", max_length=100, blank=True, help_text="不填时决定书写“到指定的银行”"
    )
    account_name = models.CharField("收款户名", max_length=100, blank=True)
    account_number = models.CharField("收款账号", max_length=40, blank=True)
    payment_note = models.CharField(
        "缴款码说明",
        max_length=200,
        blank=True,
        help_text="例：凭决定书上的非税收入缴款码缴纳，或扫码通过电子支付系统缴纳",
    )

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return f"{self.department}的文书设置"
