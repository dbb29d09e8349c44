from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet

from zeren.core import crypto
from zeren.core.filters import ScopedFilterSet
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.services import id_number_digest


class PersonTable(tables.Table):
    name = tables.Column(
        verbose_name="姓名",
        linkify=("staff-person-detail", {"pk": tables.A("pk")}),
        orderable=False,  # stored encrypted: no order by name
    )
    id_number_masked = tables.Column(
        verbose_name="身份证号",
        accessor="id_number_masked",
        orderable=False,
        attrs={"td": {"class": "masked"}},
    )
    sex = tables.Column(verbose_name="性别")
    birth_year = tables.Column(
        verbose_name="出生年份", accessor="birth_date__year", orderable=False
    )
    phone_masked = tables.Column(
        verbose_name="联系电话",
        accessor="phone_masked",
        orderable=False,
        attrs={"td": {"class": "masked"}},
    )
    division = tables.Column(verbose_name="所在区划", accessor="division__name", orderable=False)

    class Meta:
        model = Person
        fields = ("name", "id_number_masked", "sex", "birth_year", "phone_masked", "division")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的相对人"


class PersonFilter(ScopedFilterSet):
    name = django_filters.CharFilter(label="姓名（精确）", method="filter_name")
    id_number = django_filters.CharFilter(label="身份证号（精确）", method="filter_id_number")
    township = django_filters.ModelChoiceFilter(
        label="乡镇",
        queryset=Division.objects.filter(level=Division.Level.TOWNSHIP),
        method="filter_township",
    )
    sex = django_filters.ChoiceFilter(label="性别", choices=Person.Sex.choices)

    class Meta:
        model = Person
        fields = ["name", "id_number", "township", "sex"]

    def filter_name(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        """Exact name through the keyed hash (names are stored encrypted)."""
        return qs.filter(name_hash=crypto.blind_index(value)) if value.strip() else qs

    def filter_id_number(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        digest = id_number_digest(value)
        return qs.filter(id_number_hash=digest) if digest else qs

    def filter_township(self, qs: QuerySet, name: str, value: Division) -> QuerySet:
        if not value:
            return qs
        return qs.filter(division__in=Division.objects.filter(path__startswith=value.path))
