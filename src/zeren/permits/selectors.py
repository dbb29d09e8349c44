"""Reads of licences shared by pages, the API and supervision."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zeren.org.models import Division
from zeren.permits.models import Permit


def permits_for(user: Any, action: str = "view") -> QuerySet[Permit]:
    return Permit.objects.restrict(user, action).select_related(
        "holder", "township", "spouse", "village"
    )


def townships_for(user: Any) -> QuerySet[Division]:
    qs = Division.objects.filter(level=Division.Level.TOWNSHIP)
    if user.is_superuser or user.jurisdiction is None:
        return qs if user.is_superuser else qs.none()
    return qs.filter(path__startswith=user.jurisdiction.path)
