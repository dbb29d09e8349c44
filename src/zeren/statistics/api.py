"""REST API: births (mother masked, scoped), SRB indicators per township, assessment scorecards."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, ModelPermissions
from zeren.statistics import rules, selectors
from zeren.statistics.models import Birth


class BirthSerializer(serializers.ModelSerializer):
    mother_name = serializers.CharField(source="mother.name", read_only=True)
    mother_id_number_masked = serializers.CharField(
        source="mother.id_number_masked", read_only=True
    )
    township = serializers.CharField(source="township.code", read_only=True)
    village = serializers.CharField(source="village.code", read_only=True)

    class Meta:
        model = Birth
        fields = [
            "id",
            "mother_name",
            "mother_id_number_masked",
            "sex",
            "birth_date",
            "birth_order",
            "township",
            "village",
            "source",
        ]


class BirthViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    """Births in the caller's scope; the mother's identity number is masked."""

    serializer_class = BirthSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Birth.objects.none()
        return (
            Birth.objects.restrict(self.request.user, "view")
            .select_related("mother", "township", "village")
            .order_by("-id")
        )


class IndicatorSerializer(serializers.Serializer):
    township = serializers.CharField()
    name = serializers.CharField()
    boys = serializers.IntegerField()
    girls = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)
    level = serializers.CharField(allow_null=True)
    reliable = serializers.BooleanField()
    high_order = serializers.IntegerField()
    high_order_share = serializers.FloatField(allow_null=True)
    high_order_level = serializers.CharField(allow_null=True)


def _need(user: Any, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权查看")


class IndicatorViewSet(ActorMixin, viewsets.ViewSet):
    """SRB and third-and-higher-order share per visible township (and the county) for a period."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="2026、2026-Q1 或 2026-01")],
        responses=IndicatorSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        _need(request.user, "statistics.view_birth")
        period = request.query_params.get("period", "")
        try:
            rows = selectors.indicator_rows(period, user=request.user)
        except rules.InvalidPeriod as exc:
            raise ApiValidationError({"period": [str(exc)]}) from exc
        return Response([r.as_json() for r in rows])


class ItemScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max_points = serializers.FloatField()
    points = serializers.FloatField(allow_null=True)
    note = serializers.CharField()


class ScorecardSerializer(serializers.Serializer):
    township = serializers.CharField()
    name = serializers.CharField()
    total = serializers.FloatField()
    available = serializers.FloatField()
    rate = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    items = ItemScoreSerializer(many=True)


class ScorecardViewSet(ActorMixin, viewsets.ViewSet):
    """Township scorecards for a year; township staff get only their own."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=ScorecardSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        _need(request.user, "statistics.view_manualscore")
        year = request.query_params.get("year", "")
        if not (year.isdecimal() and len(year) == 4):
            raise ApiValidationError({"year": ["年度应为四位数字"]})
        return Response([c.as_json() for c in selectors.scorecards(int(year), user=request.user)])


def register(router: Any) -> None:
    router.register("statistics/births", BirthViewSet, basename="statistics-birth")
    router.register("statistics/indicators", IndicatorViewSet, basename="statistics-indicator")
    router.register("statistics/scorecards", ScorecardViewSet, basename="statistics-scorecard")
