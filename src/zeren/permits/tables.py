from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet

from zeren.core.filters import ScopedFilterSet
from zeren.org.models import Division
from zeren.people.services import id_number_digest
from zeren.permits.models import Permit, PermitKind
from zeren.permits.rules import Status


class PermitTable(tables.Table):
    number = tables.Column(verbose_name="证号", linkify=("permit-detail", {"pk": tables.A("pk")}))
    kind = tables.Column(verbose_name="类别")
    holder = tables.Column(verbose_name="持证人", accessor="holder__name", orderable=False)
    holder_id_number = tables.Column(
        verbose_name="身份证号",
        accessor="holder__id_number_masked",
        orderable=False,
        attrs={"td": {"class": "masked"}},
    )
    township = tables.Column(verbose_name="乡镇", accessor="township__name", orderable=False)
    approval_date = tables.DateColumn(format="Y-m-d", verbose_name="批准日期")
    valid_to = tables.DateColumn(format="Y-m-d", verbose_name="有效期止")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Permit
        fields = (
            "number",
            "kind",
            "holder",
            "holder_id_number",
            "township",
            "approval_date",
            "valid_to",
            "status",
        )
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的许可"


class PermitFilter(ScopedFilterSet):
    number = django_filters.CharFilter(label="证号", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label="类别", choices=PermitKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=Status.CHOICES)
    township = django_filters.ModelChoiceFilter(
        label="乡镇", queryset=Division.objects.filter(level=Division.Level.TOWNSHIP)
    )
    holder_id_number = django_filters.CharFilter(
        label="持证人身份证号（精确）", method="filter_holder"
    )
    approved_after = django_filters.DateFilter(
        label="批准日期起", field_name="approval_date", lookup_expr="gte"
    )
    approved_before = django_filters.DateFilter(
        label="批准日期止", field_name="approval_date", lookup_expr="lte"
    )

    class Meta:
        model = Permit
        fields = ["number", "kind", "status", "township"]

    def filter_holder(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return qs
        digest = id_number_digest(value)
        return qs.filter(holder__id_number_hash=digest) | qs.filter(spouse__id_number_hash=digest)
