"""REST API: plans, tasks (scoped) and the status table."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, ModelPermissions
from zeren.supervision import rules
from zeren.supervision.models import InspectionTask, SamplingPlan
from zeren.supervision.selectors import status_rows


class SamplingPlanSerializer(serializers.ModelSerializer):
    regime = serializers.CharField(source="regime.code")
    scope = serializers.CharField(source="division.code")
    seed = serializers.SerializerMethodField()

    class Meta:
        model = SamplingPlan
        fields = [
            "id",
            "regime",
            "period",
            "round",
            "scope",
            "status",
            "seed_hash",
            "seed",
            "seed_source",
            "committed_at",
            "drawn_at",
            "algorithm",
            "population_count",
            "population_digest",
            "required_count",
            "sample",
        ]

    def get_seed(self, plan: SamplingPlan) -> str | None:
        # The seed itself is shown only once the population is frozen and the draw is made.
        return plan.seed if plan.status == SamplingPlan.Status.DRAWN else None


class InspectionTaskSerializer(serializers.ModelSerializer):
    regime = serializers.CharField(source="regime.code")
    permit_number = serializers.CharField(source="permit.number")
    township = serializers.CharField(source="township.code")

    class Meta:
        model = InspectionTask
        fields = [
            "id",
            "plan",
            "regime",
            "permit",
            "permit_number",
            "township",
            "inspection_date",
            "due_date",
            "visit_date",
            "result",
        ]


class StatusRowSerializer(serializers.Serializer):
    regime = serializers.CharField()
    township = serializers.CharField()
    population = serializers.IntegerField()
    required = serializers.IntegerField()
    sampled = serializers.IntegerField()
    done = serializers.IntegerField()
    conforming = serializers.IntegerField()
    attainment = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField(allow_null=True)


class SamplingPlanViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SamplingPlanSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = SamplingPlan.objects.none()
    filterset_fields = ["period", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SamplingPlan.objects.none()
        return SamplingPlan.objects.restrict(self.request.user, "view").select_related(
            "regime", "division"
        )


class InspectionTaskViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = InspectionTaskSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = InspectionTask.objects.none()
    filterset_fields = ["result", "plan"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InspectionTask.objects.none()
        return InspectionTask.objects.restrict(self.request.user, "view").select_related(
            "regime", "permit", "township"
        )


class StatusViewSet(ActorMixin, viewsets.ViewSet):
    """Indicators per regime × scope for a period (the caller's townships only)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="YYYY-MM", required=True)],
        responses=StatusRowSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        if not request.user.has_perm("supervision.view_samplingplan"):
            return Response({"detail": "无权查看"}, status=403)
        period = request.query_params.get("period", "")
        try:
            rules.parse_period(period)
        except ValueError as exc:
            return Response({"period": [str(exc)]}, status=400)
        return Response([r.as_json() for r in status_rows(period, user=request.user)])


def register(router: Any) -> None:
    router.register("supervision/plans", SamplingPlanViewSet, basename="sampling-plan")
    router.register("supervision/tasks", InspectionTaskViewSet, basename="inspection-task")
    router.register("supervision/status", StatusViewSet, basename="supervision-status")
