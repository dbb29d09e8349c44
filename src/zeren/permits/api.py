"""REST API for licences: scoped to the caller, holders' identity numbers masked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, LoggedRetrieveMixin, ModelPermissions
from zeren.core.scope import townships_for
from zeren.org.models import Division
from zeren.people.models import Person
from zeren.people.services import person_find_by_id_number
from zeren.permits.forms import approvers_for
from zeren.permits.models import Permit, PermitEvent, PermitKind
from zeren.permits.rules import GROUNDS
from zeren.permits.selectors import permits_for
from zeren.permits.services import (
    permit_amend,
    permit_cancel,
    permit_grant,
    permit_revoke,
    permit_withdraw,
)


class PermitEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = PermitEvent
        fields = [
            "kind",
            "from_status",
            "to_status",
            "ground",
            "ground_label",
            "basis",
            "effective_date",
            "documents",
            "note",
            "actor_name",
            "time",
        ]


class PermitSerializer(serializers.ModelSerializer):
    holder_name = serializers.CharField(source="holder.name", read_only=True)
    holder_id_number_masked = serializers.CharField(
        source="holder.id_number_masked", read_only=True
    )
    spouse_name = serializers.CharField(source="spouse.name", read_only=True, default="")
    township = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = Permit
        fields = [
            "id",
            "kind",
            "number",
            "holder_name",
            "holder_id_number_masked",
            "spouse_name",
            "township",
            "township_name",
            "approval_date",
            "valid_from",
            "valid_to",
            "conditions",
            "hospital",
            "status",
            "used_on",
        ]


class PermitDetailSerializer(PermitSerializer):
    events = PermitEventSerializer(many=True, read_only=True)

    class Meta(PermitSerializer.Meta):
        fields = [*PermitSerializer.Meta.fields, "events"]


class ConcludeSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=sorted(GROUNDS))
    on = serializers.DateField(required=False)
    documents = serializers.CharField(max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _person(user: Any, field: str, raw: str) -> Person | None:
    """Exact ID-number lookup within the caller's scope; unknown numbers are a 400."""
    raw = (raw or "").strip().upper()
    if not raw:
        return None
    person = person_find_by_id_number(actor=user, id_number=raw)
    if person is None:
        raise DjangoValidationError({field: "该身份证号尚未登记为相对人，或不在您的管辖范围内"})
    return person


class GrantSerializer(serializers.Serializer):
    """发证 input: holders by exact ID number, the township by its division code."""

    kind = serializers.ChoiceField(choices=PermitKind.choices)
    number = serializers.CharField(max_length=40)
    holder_id_number = serializers.CharField(max_length=18, write_only=True)
    spouse_id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, default="", write_only=True
    )
    township = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default="", help_text="乡镇区划代码"
    )
    approval_date = serializers.DateField()
    approved_by = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default="", help_text="批准人用户名"
    )
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    valid_to = serializers.DateField()
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    hospital = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    documents = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AmendSerializer(serializers.Serializer):
    """变更 input: only the fields given change; ``reason`` is required."""

    spouse_id_number = serializers.CharField(max_length=18, required=False, write_only=True)
    valid_to = serializers.DateField(required=False)
    conditions = serializers.CharField(required=False, allow_blank=True)
    hospital = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    documents = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PermitViewSet(
    ActorMixin,
    LoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Licences within the caller's scope; grant, amend, revoke and cancel go through the
    services, which check the rules, the permission and the scope."""

    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Permit.objects.none()
    view_log_what = "许可证件"
    filterset_fields = ["kind", "status", "number"]

    def get_permissions(self):
        # Revoke and cancel are POSTs, but they need the revoke/cancel permission (checked by
        # the service together with the data scope), not the permission to add licences.
        if self.action in ("revoke", "cancel", "amend"):
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "create":
            return GrantSerializer
        return PermitDetailSerializer if self.action == "retrieve" else PermitSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Permit.objects.none()
        qs = permits_for(self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related("events")
        return qs

    def _conclude(self, request: Request, service: Any) -> Response:
        permit = self.get_object()
        payload = ConcludeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        service(actor=request.user, permit=permit, **payload.validated_data)
        permit.refresh_from_db()
        return Response(PermitDetailSerializer(permit).data)

    @extend_schema(request=GrantSerializer, responses={201: PermitDetailSerializer}, summary="发证")
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = GrantSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        user = request.user
        township = None
        if data["township"]:
            township = townships_for(user).filter(code=data["township"]).first()
            if township is None:
                known = Division.objects.filter(code=data["township"]).exists()
                raise DjangoValidationError(
                    {
                        "township": "该乡镇不在您的管辖范围内"
                        if known
                        else f"没有代码为“{data['township']}”的乡镇"
                    }
                )
        approver = None
        if data["approved_by"]:
            approver = approvers_for(user).filter(username=data["approved_by"]).first()
            if approver is None:
                raise DjangoValidationError({"approved_by": "批准人应为本局在职的局领导或科室人员"})
        permit = permit_grant(
            actor=user,
            kind=data["kind"],
            number=data["number"],
            holder=_person(user, "holder_id_number", data["holder_id_number"]),
            spouse=_person(user, "spouse_id_number", data["spouse_id_number"]),
            township=township,
            approval_date=data["approval_date"],
            approved_by=approver,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            conditions=data["conditions"],
            hospital=data["hospital"],
            documents=data["documents"],
        )
        permit = permits_for(user).prefetch_related("events").get(pk=permit.pk)
        return Response(PermitDetailSerializer(permit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AmendSerializer, responses=PermitDetailSerializer, summary="变更")
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str | None = None) -> Response:
        permit = self.get_object()
        payload = AmendSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        changes = {k: data[k] for k in ("valid_to", "conditions", "hospital") if k in data}
        if "spouse_id_number" in data:
            changes["spouse"] = _person(request.user, "spouse_id_number", data["spouse_id_number"])
        permit_amend(
            actor=request.user,
            permit=permit,
            changes=changes,
            reason=data["reason"],
            on=data["on"],
            documents=data["documents"],
        )
        permit = permits_for(request.user).prefetch_related("events").get(pk=permit.pk)
        return Response(PermitDetailSerializer(permit).data)

    @extend_schema(request=ConcludeSerializer, responses=PermitDetailSerializer, summary="撤销")
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        return self._conclude(request, permit_revoke)

    @extend_schema(request=ConcludeSerializer, responses=PermitDetailSerializer, summary="撤回")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._conclude(request, permit_withdraw)

    @extend_schema(request=ConcludeSerializer, responses=PermitDetailSerializer, summary="注销")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._conclude(request, permit_cancel)


def register(router: Any) -> None:
    router.register("permits", PermitViewSet, basename="permit")
