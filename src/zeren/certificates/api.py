"""REST API for the free certificates: scoped to the caller, ID numbers masked."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, LoggedRetrieveMixin, ModelPermissions
from zeren.certificates.models import Certificate, CertificateEvent, CertificateType
from zeren.certificates.selectors import certificates_for
from zeren.certificates.services import (
    REISSUE_GROUNDS,
    REVOKE_GROUNDS,
    certificate_issue,
    certificate_register,
    certificate_reissue,
    certificate_revoke,
    find_holder,
)


class CertificateEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CertificateEvent
        fields = [
            "kind",
            "from_status",
            "to_status",
            "ground",
            "basis",
            "effective_date",
            "actor_name",
            "time",
        ]


class CertificateSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type.code", read_only=True)
    type_name = serializers.CharField(source="type.name", read_only=True)
    holder_name = serializers.CharField(source="holder.name", read_only=True)
    holder_id_number_masked = serializers.CharField(
        source="holder.id_number_masked", read_only=True
    )
    spouse_name = serializers.CharField(source="spouse.name", read_only=True, default="")
    spouse_id_number_masked = serializers.CharField(
        source="spouse.id_number_masked", read_only=True, default=""
    )
    township = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    facts = serializers.JSONField(
        read_only=True, help_text="记载事项（加密保存；无法解密时各项为「无法解密」）"
    )
    replaces = serializers.CharField(source="replaces.number", read_only=True, default=None)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "type",
            "type_name",
            "number",
            "status",
            "holder_name",
            "holder_id_number_masked",
            "spouse_name",
            "spouse_id_number_masked",
            "township",
            "township_name",
            "facts",
            "applied_on",
            "issued_on",
            "fee",
            "expires_on",
            "replaces",
        ]


class CertificateDetailSerializer(CertificateSerializer):
    events = CertificateEventSerializer(many=True, read_only=True)

    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "events"]


class ApplicationSerializer(serializers.Serializer):
    """受理 input: the type by code, the holders by exact ID number."""

    type = serializers.SlugRelatedField(slug_field="code", queryset=CertificateType.objects.all())
    holder_id_number = serializers.CharField(max_length=18, write_only=True)
    spouse_id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, default="", write_only=True
    )
    facts = serializers.DictField(child=serializers.CharField(max_length=100))
    applied_on = serializers.DateField(required=False, allow_null=True, default=None)


class IssueSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)


class ReissueSerializer(IssueSerializer):
    ground = serializers.ChoiceField(choices=sorted(REISSUE_GROUNDS))


class RevokeSerializer(IssueSerializer):
    ground = serializers.ChoiceField(choices=sorted(REVOKE_GROUNDS))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CertificateViewSet(
    ActorMixin,
    LoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Certificates within the caller's scope; writes go through the services, which check
    the rules, the permission and the scope."""

    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Certificate.objects.none()
    view_log_what = "证件"
    filterset_fields = ["status", "number"]

    def get_permissions(self):
        # Issue, reissue and revoke need their own permissions, checked by the service.
        if self.action in ("issue", "reissue", "revoke"):
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "create":
            return ApplicationSerializer
        return CertificateDetailSerializer if self.action == "retrieve" else CertificateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        qs = certificates_for(self.request.user).select_related("replaces")
        if self.action == "retrieve":
            qs = qs.prefetch_related("events")
        return qs

    def _answer(self, cert: Certificate, code: int = status.HTTP_200_OK) -> Response:
        cert = certificates_for(self.request.user).prefetch_related("events").get(pk=cert.pk)
        return Response(CertificateDetailSerializer(cert).data, status=code)

    @extend_schema(
        request=ApplicationSerializer, responses={201: CertificateDetailSerializer}, summary="受理"
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ApplicationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = request.user
        holder = find_holder(
            actor=user, field="holder_id_number", id_number=data["holder_id_number"]
        )
        spouse = None
        if data["spouse_id_number"]:
            spouse = find_holder(
                actor=user, field="spouse_id_number", id_number=data["spouse_id_number"]
            )
        cert = certificate_register(
            actor=user,
            type=data["type"],
            holder=holder,
            spouse=spouse,
            facts=data["facts"],
            applied_on=data["applied_on"],
        )
        return self._answer(cert, status.HTTP_201_CREATED)

    @extend_schema(request=IssueSerializer, responses=CertificateDetailSerializer, summary="发证")
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        payload = IssueSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cert = certificate_issue(
            actor=request.user, certificate=self.get_object(), **payload.validated_data
        )
        return self._answer(cert)

    @extend_schema(request=ReissueSerializer, responses=CertificateDetailSerializer, summary="补发")
    @action(detail=True, methods=["post"])
    def reissue(self, request: Request, pk: str | None = None) -> Response:
        payload = ReissueSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cert = certificate_reissue(
            actor=request.user, certificate=self.get_object(), **payload.validated_data
        )
        return self._answer(cert, status.HTTP_201_CREATED)

    @extend_schema(request=RevokeSerializer, responses=CertificateDetailSerializer, summary="撤销")
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        payload = RevokeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        cert = certificate_revoke(
            actor=request.user, certificate=self.get_object(), **payload.validated_data
        )
        return self._answer(cert)


def register(router: Any) -> None:
    router.register("certificates", CertificateViewSet, basename="certificate")
