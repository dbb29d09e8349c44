"""REST API: records (scoped; bureau staff add manual ones) and the status of a period."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, ModelPermissions
from zeren.catalogue.models import WorkItem
from zeren.core.dates import ApiDateField
from zeren.ledger import selectors, services
from zeren.ledger.models import Kind, Milestone, Plan, Record
from zeren.statistics.rules import InvalidPeriod, parse_year


@extend_schema_field(OpenApiTypes.INT)
class YearField(serializers.Field):
    """A plan's year read by statistics.rules.parse_year: four ASCII digits, 1950..2100."""

    def to_internal_value(self, data: Any) -> int:
        try:
            return parse_year(str(data) if data is not None else "")
        except InvalidPeriod as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def to_representation(self, value: int) -> int:
        return value


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
    date = ApiDateField(label="日期")
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


class MilestoneSerializer(serializers.ModelSerializer):
    plan_title = serializers.CharField(source="plan.title", read_only=True)
    responsible = serializers.IntegerField(source="owner_id", read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "plan", "plan_title", "title", "due_on", "responsible", "done_on", "record"]


class PlanSerializer(serializers.ModelSerializer):
    duty = serializers.IntegerField(source="work_item.duty.number", read_only=True)
    order = serializers.IntegerField(source="work_item.order", read_only=True)
    version = serializers.IntegerField(source="work_item.duty.version.number", read_only=True)
    section = serializers.CharField(source="work_item.section.name", read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    year = YearField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "year",
            "work_item",
            "duty",
            "order",
            "version",
            "section",
            "carried_from",
            "title",
            "content",
            "responsible",
            "status",
            "milestones",
        ]
        read_only_fields = ["carried_from", "status"]


class MilestoneCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    due_on = ApiDateField(label="完成期限")
    responsible = serializers.IntegerField(required=False, allow_null=True)


class MilestoneDoneSerializer(serializers.Serializer):
    done_on = ApiDateField(label="完成日期")
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)


def _api_errors(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    )


def _staff(pk: int | None) -> Any:
    if pk is None:
        return None
    from zeren.org.models import User

    found = User.objects.filter(pk=pk).first()
    if found is None:
        raise ApiValidationError({"responsible": ["没有这个工作人员"]})
    return found


class PlanViewSet(ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Yearly work plans (bureau-wide); milestones are added and completed through actions."""

    serializer_class = PlanSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]

    year: int | None = None

    def get_queryset(self):
        qs = Plan.objects.select_related(
            "work_item__duty__version", "work_item__section"
        ).prefetch_related("milestones")
        if self.year is not None:
            qs = qs.filter(year=self.year)
        return qs.order_by("-year", "id")

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="年度（四位数字）；不填为全部年度")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        year = request.query_params.get("year", "")
        if year:
            try:
                self.year = parse_year(year)
            except InvalidPeriod as exc:
                raise ApiValidationError({"year": [str(exc)]}) from exc
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            plan = services.plan_create(
                actor=request.user,
                work_item=v["work_item"],
                year=v["year"],
                title=v["title"],
                content=v.get("content", ""),
                responsible=v["responsible"],
            )
        except ValidationError as exc:
            raise _api_errors(exc) from exc
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneCreateSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        data = MilestoneCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            milestone = services.milestone_add(
                actor=request.user,
                plan=plan,
                title=data.validated_data["title"],
                due_on=data.validated_data["due_on"],
                responsible=_staff(data.validated_data.get("responsible")),
            )
        except ValidationError as exc:
            raise _api_errors(exc) from exc
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    """Milestones; ``due/`` lists the caller's milestones coming due (the reminders)."""

    serializer_class = MilestoneSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]

    def get_queryset(self):
        return Milestone.objects.select_related("plan").order_by("due_on", "id")

    @extend_schema(responses=MilestoneSerializer(many=True))
    @action(detail=False, methods=["get"])
    def due(self, request: Request) -> Response:
        rows = selectors.milestones_due(request.user, timezone.localdate())
        return Response(MilestoneSerializer(rows, many=True).data)

    @extend_schema(request=MilestoneDoneSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str | None = None) -> Response:
        milestone = self.get_object()
        data = MilestoneDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            milestone = services.milestone_complete(
                actor=request.user,
                milestone=milestone,
                done_on=data.validated_data["done_on"],
                summary=data.validated_data.get("summary", ""),
            )
        except ValidationError as exc:
            raise _api_errors(exc) from exc
        return Response(MilestoneSerializer(milestone).data)


def register(router: Any) -> None:
    router.register("ledger/records", RecordViewSet, basename="ledger-record")
    router.register("ledger/status", StatusViewSet, basename="ledger-status")
    router.register("ledger/plans", PlanViewSet, basename="ledger-plan")
    router.register("ledger/milestones", MilestoneViewSet, basename="ledger-milestone")
