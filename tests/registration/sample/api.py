from rest_framework import permissions, viewsets
from rest_framework.response import Response


class SampleViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated]

    def list(self, request):
        return Response({"sample": "示例"})


def register(router):
    router.register("sample", SampleViewSet, basename="sample")
