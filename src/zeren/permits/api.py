"""REST API for licences: scoped to the caller, holders' identity numbers masked."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zeren.api.views import ActorMixin, ModelPermissions
from zeren.permits.models import Permit, PermitEvent
from zeren.permits.rules import GROUNDS
from zeren.permits.selectors import permits_for
from zeren.permits.services import permit_cancel, permit_revoke


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


class PermitViewSet(
    ActorMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Licences within the caller's scope; revoke and cancel go through the lifecycle rules."""

    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    queryset = Permit.objects.none()
    filterset_fields = ["kind", "status", "number"]

    def get_permissions(self):
        # Revoke and cancel are POSTs, but they need the revoke/cancel permission (checked by
        # the service together with the data scope), not the permission to add licences.
        if self.action in ("revoke", "cancel"):
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_serializer_class(self):
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

    @extend_schema(request=ConcludeSerializer, responses=PermitDetailSerializer, summary="撤销")
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        return self._conclude(request, permit_revoke)

    @extend_schema(request=ConcludeSerializer, responses=PermitDetailSerializer, summary="注销")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._conclude(request, permit_cancel)


def register(router: Any) -> None:
    router.register("permits", PermitViewSet, basename="permit")
