"""REST API: records (scoped; bureau staff add manual ones) and the status of a period."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, ModelPermissions
from zeren.catalogue.models import WorkItem
from zeren.ledger import selectors, services
from zeren.ledger.models import Kind, Record


class RecordSerializer(serializers.ModelSerializer):
    duty = serializers.IntegerField(source="work_item.duty.number", read_only=True)
    item = serializers.CharField(source="work_item.text", read_only=True)
    version = serializers.IntegerField(source="work_item.duty.version.number", read_only=True)
    section = serializers.CharField(source="section.name", read_only=True)
    staff = serializers.CharField(source="staff.name", read_only=True, default=None)

    class Meta:
        model = Record
        fields = [
            "id",
            "duty",
            "item",
            "version",
            "date",
            "section",
            "staff",
            "kind",
            "summary",
            "source",
            "event_key",
            "object_id",
            "attachment_name",
        ]


class RecordCreateSerializer(serializers.Serializer):
    work_item = serializers.IntegerField(help_text="具体工作事项编号（所在清单版本须在该日期施行）")
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    summary = serializers.CharField(max_length=300)


class RecordViewSet(ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Performance records in the caller's scope; bureau staff add manual records."""

    serializer_class = RecordSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Record.objects.none()
        return (
            Record.objects.restrict(self.request.user, "view")
            .select_related("work_item__duty__version", "section", "staff")
            .order_by("-id")
        )

    @extend_schema(request=RecordCreateSerializer, responses=RecordSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = WorkItem.objects.filter(pk=data.validated_data["work_item"]).first()
        if item is None:
            raise ApiValidationError({"work_item": ["没有这个具体工作事项"]})
        try:
            record = services.record_create(
                actor=request.user,
                work_item=item,
                date=data.validated_data["date"],
                kind=data.validated_data["kind"],
                summary=data.validated_data["summary"],
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(RecordSerializer(record).data, status=status.HTTP_201_CREATED)


class StatusItemSerializer(serializers.Serializer):
    duty = serializers.IntegerField()
    item = serializers.CharField()
    section = serializers.CharField()
    expectation = serializers.CharField()
    records = serializers.IntegerField()
    automatic = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["performed", "partial", "silent", "n/a"])


class StatusSerializer(serializers.Serializer):
    period = serializers.CharField()
    items = StatusItemSerializer(many=True)


class StatusViewSet(ActorMixin, viewsets.ViewSet):
    """Every work item of the version in force with its records and status in a period."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, required=True, description="2026、2026-Q1 或 2026-01"),
            OpenApiParameter("section", str, description="科室名称"),
        ],
        responses=StatusSerializer,
    )
    def list(self, request: Request) -> Response:
        if not request.user.has_perm("ledger.view_expectation"):
            raise PermissionDenied("无权查看履职台账")
        try:
            period, rows = selectors.ledger_status(
                request.query_params.get("period", ""),
                section=request.query_params.get("section") or None,
            )
        except selectors.InvalidPeriod as exc:
            raise ApiValidationError({"period": [str(exc)]}) from exc
        return Response({"period": period.text, "items": [r.as_json() for r in rows]})


def register(router: Any) -> None:
    router.register("ledger/records", RecordViewSet, basename="ledger-record")
    router.register("ledger/status", StatusViewSet, basename="ledger-status")
