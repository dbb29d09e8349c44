from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet

from zeren.certificates.models import Certificate, CertificateType
from zeren.certificates.rules import Status
from zeren.core.filters import ScopedFilterSet
from zeren.org.models import Division
from zeren.people.services import id_number_digest


class CertificateTable(tables.Table):
    number = tables.Column(
        verbose_name="证号",
        linkify=("certificates-detail", {"pk": tables.A("pk")}),
        default="（未发证）",
    )
    type = tables.Column(verbose_name="类别", accessor="type__name", orderable=False)
    holder = tables.Column(verbose_name="持证人", accessor="holder__name", orderable=False)
    holder_id_number = tables.Column(
        verbose_name="身份证号",
        accessor="holder__id_number_masked",
        orderable=False,
        attrs={"td": {"class": "masked"}},
    )
    spouse = tables.Column(
        verbose_name="配偶", accessor="spouse__name", orderable=False, default="—"
    )
    township = tables.Column(verbose_name="乡镇", accessor="township__name", orderable=False)
    applied_on = tables.DateColumn(format="Y-m-d", verbose_name="受理日期")
    issued_on = tables.DateColumn(format="Y-m-d", verbose_name="发证日期")
    status = tables.Column(verbose_name="状态", accessor="status_label", orderable=False)

    class Meta:
        model = Certificate
        fields = (
            "number",
            "type",
            "holder",
            "holder_id_number",
            "spouse",
            "township",
            "applied_on",
            "issued_on",
            "status",
        )
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的证件"


class CertificateFilter(ScopedFilterSet):
    number = django_filters.CharFilter(label="证号", lookup_expr="contains")
    type = django_filters.ModelChoiceFilter(label="类别", queryset=CertificateType.objects.all())
    status = django_filters.ChoiceFilter(label="状态", choices=Status.CHOICES)
    township = django_filters.ModelChoiceFilter(
        label="乡镇", queryset=Division.objects.filter(level=Division.Level.TOWNSHIP)
    )
    holder_id_number = django_filters.CharFilter(
        label="持证人身份证号（精确）", method="filter_holder"
    )
    issued_after = django_filters.DateFilter(
        label="发证日期起", field_name="issued_on", lookup_expr="gte"
    )
    issued_before = django_filters.DateFilter(
        label="发证日期止", field_name="issued_on", lookup_expr="lte"
    )

    class Meta:
        model = Certificate
        fields = ["number", "type", "status", "township"]

    def filter_holder(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return qs
        digest = id_number_digest(value)
        return qs.filter(holder__id_number_hash=digest) | qs.filter(spouse__id_number_hash=digest)
