"""REST API of the funds app: scoped to the caller, identity numbers and accounts masked."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, LoggedRetrieveMixin, ModelPermissions
from zeren.funds import selectors
from zeren.funds.models import (
    Beneficiary,
    Campaign,
    PaymentBatch,
    PaymentLine,
    RecoveryEntry,
    Verification,
)
from zeren.funds.services import (
    OutcomeRow,
    beneficiary_reinstate,
    campaign_close,
    verification_record,
)


class BeneficiarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.id_number_masked", read_only=True)
    bank_account_masked = serializers.CharField(read_only=True)
    facts = serializers.JSONField(
        read_only=True, help_text="资格条件（加密保存；无法解密时各项为「无法解密」）"
    )
    township = serializers.CharField(source="township.code", read_only=True)
    village = serializers.CharField(source="village.code", read_only=True)

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "name",
            "id_number_masked",
            "kind",
            "residence",
            "facts",
            "start_date",
            "township",
            "village",
            "bank_name",
            "bank_account_masked",
            "status",
            "status_reason",
            "status_date",
            "entitled_until",
            "platform_year",
        ]


class ReinstateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, help_text="核查结论：为何恢复扶助")


class PaymentBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentBatch
        fields = [
            "id",
            "program",
            "frequency",
            "period_start",
            "period_end",
            "status",
            "issued_on",
            "line_count",
            "total",
        ]


class PaymentLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentLine
        fields = [
            "id",
            "batch",
            "beneficiary",
            "entry",
            "period_start",
            "period_end",
            "amount",
            "reverses",
            "note",
            "confirmed_at",
        ]


class RecoveryEntrySerializer(serializers.ModelSerializer):
    township = serializers.CharField(source="township.code", read_only=True)

    class Meta:
        model = RecoveryEntry
        fields = [
            "id",
            "beneficiary",
            "township",
            "entry",
            "amount",
            "payment_line",
            "reason",
            "date",
            "note",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "kind",
            "year",
            "title",
            "starts_on",
            "deadline",
            "coverage_required",
            "status",
            "total",
        ]


class VerificationSerializer(serializers.ModelSerializer):
    township = serializers.CharField(source="township.code", read_only=True)

    class Meta:
        model = Verification
        fields = [
            "id",
            "campaign",
            "beneficiary",
            "township",
            "outcome",
            "method",
            "event_date",
            "note",
            "recorded_at",
        ]


class OutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    outcome = serializers.ChoiceField(choices=Verification.Outcome.choices)
    method = serializers.ChoiceField(
        choices=Verification.Method.choices, required=False, default=""
    )
    event_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ProgressSerializer(serializers.Serializer):
    township = serializers.CharField(source="township_code", help_text="乡镇区划代码")
    kind = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    coverage = serializers.FloatField(allow_null=True)


class _Scoped(ActorMixin):
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    model: Any = None
    related: tuple[str, ...] = ()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        qs = self.model.objects.restrict(self.request.user, "view")
        return qs.select_related(*self.related) if self.related else qs


class BeneficiaryViewSet(LoggedRetrieveMixin, _Scoped, viewsets.ReadOnlyModelViewSet):
    """Beneficiaries in the caller's scope."""

    view_log_what = "扶助对象"
    serializer_class = BeneficiarySerializer
    model = Beneficiary
    related = ("person", "township", "village")
    filterset_fields = ["kind", "status", "residence"]

    @extend_schema(
        summary="恢复被暂停的扶助（核查不实）",
        request=ReinstateSerializer,
        responses=BeneficiarySerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def reinstate(self, request: Request, pk: str | None = None) -> Response:
        beneficiary = self.get_object()
        payload = ReinstateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        beneficiary = beneficiary_reinstate(
            actor=request.user, beneficiary=beneficiary, note=payload.validated_data["note"]
        )
        return Response(BeneficiarySerializer(beneficiary).data)


class PaymentLineViewSet(_Scoped, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentLineSerializer
    model = PaymentLine
    filterset_fields = ["batch", "beneficiary", "entry"]


class RecoveryEntryViewSet(_Scoped, viewsets.ReadOnlyModelViewSet):
    serializer_class = RecoveryEntrySerializer
    model = RecoveryEntry
    related = ("township",)
    filterset_fields = ["beneficiary", "entry"]


class PaymentBatchViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentBatchSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = PaymentBatch.objects.all()
    filterset_fields = ["program", "status"]


class CampaignViewSet(ActorMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Campaign.objects.all()
    filterset_fields = ["kind", "year", "status"]

    @extend_schema(
        summary="核查进度（各乡镇，按调用者管辖范围）",
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=ProgressSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def progress(self, request: Request) -> Response:
        raw = request.query_params.get("year", "")
        if not raw.isdecimal():
            return Response({"year": ["请提供年度"]}, status=400)
        rows = selectors.campaign_progress(year=int(raw), user=request.user)
        return Response(ProgressSerializer(rows, many=True).data)

    @extend_schema(summary="结束核查（此后不能再登记结果）", request=None)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def close(self, request: Request, pk: str | None = None) -> Response:
        campaign = campaign_close(actor=request.user, campaign=self.get_object())
        return Response(CampaignSerializer(campaign).data)


class VerificationViewSet(
    _Scoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = VerificationSerializer
    model = Verification
    related = ("township",)
    filterset_fields = ["campaign", "outcome"]

    @extend_schema(
        summary="批量记录核查结果（全部成功或全部不记录）",
        request=OutcomeSerializer(many=True),
        responses={200: dict},
    )
    @action(detail=False, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def record(self, request: Request) -> Response:
        if not request.user.has_perm("funds.change_verification"):
            return Response({"detail": "无权记录核查结果"}, status=403)
        payload = OutcomeSerializer(data=request.data, many=True)
        payload.is_valid(raise_exception=True)
        rows = [
            OutcomeRow(
                verification_id=r["id"],
                outcome=r["outcome"],
                method=r["method"],
                event_date=r["event_date"],
                note=r["note"],
                where=f"第{i}条",
            )
            for i, r in enumerate(payload.validated_data, start=1)
        ]
        return Response(verification_record(actor=request.user, rows=rows))


def register(router: Any) -> None:
    router.register("funds/beneficiaries", BeneficiaryViewSet, basename="funds-beneficiary")
    router.register("funds/batches", PaymentBatchViewSet, basename="funds-batch")
    router.register("funds/lines", PaymentLineViewSet, basename="funds-line")
    router.register("funds/recoveries", RecoveryEntryViewSet, basename="funds-recovery")
    router.register("funds/campaigns", CampaignViewSet, basename="funds-campaign")
    router.register("funds/verifications", VerificationViewSet, basename="funds-verification")
