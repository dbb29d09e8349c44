"""Reads of certificates shared by pages, the API and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zeren.certificates.models import Certificate
from zeren.org.models import Division


def certificates_for(user: Any, action: str = "view") -> QuerySet[Certificate]:
    return Certificate.objects.restrict(user, action).select_related(
        "type", "holder", "spouse", "township"
    )


def townships_for(user: Any) -> QuerySet[Division]:
    qs = Division.objects.filter(level=Division.Level.TOWNSHIP)
    if user.is_superuser:
        return qs
    if user.jurisdiction is None:
        return qs.none()
    return qs.filter(path__startswith=user.jurisdiction.path)
