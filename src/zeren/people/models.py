"""Persons the bureau deals with (相对人): name, identity number, phone and address encrypted
at rest (bound to the row), with keyed hashes for exact search by name, number and phone."""

from __future__ import annotations

import uuid

from django.db import models

from zeren.core.fields import BlindIndexField, EncryptedTextField, mask_id_number, mask_phone
from zeren.core.models import AuditedModel
from zeren.core.scope import ScopedManager


class Person(AuditedModel):
    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    # what encrypted values are bound to (associated data): a copied ciphertext fails
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = EncryptedTextField("姓名", max_length=50)
    name_hash = BlindIndexField(source="name", db_index=True, blank=True)
    id_number = EncryptedTextField("身份证号")
    id_number_hash = BlindIndexField(source="id_number", unique=True)
    birth_date = models.DateField("出生日期")
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    phone = EncryptedTextField("联系电话", blank=True, default="")
    phone_hash = BlindIndexField(source="phone", db_index=True, blank=True)
    address = EncryptedTextField("住址", max_length=200, blank=True, default="")
    division = models.ForeignKey(
        "org.Division", verbose_name="所在区划", on_delete=models.PROTECT, related_name="persons"
    )

    scope_division = "division"
    objects = ScopedManager()

    class Meta:
        verbose_name = "相对人"
        verbose_name_plural = "相对人"
        ordering = ["-id"]
        permissions = [("reveal_person", "查看完整身份证号和电话"), ("export_person", "导出相对人")]
        indexes = [models.Index(fields=["division", "-id"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def birth_year(self) -> int | None:
        """The year of birth: what pages beside a masked number may show (never the date)."""
        return self.birth_date.year if self.birth_date else None

    def age_on(self, day) -> int | None:
        """Age in completed years on ``day`` (a date)."""
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
