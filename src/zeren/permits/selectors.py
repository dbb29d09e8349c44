"""Reads of licences shared by pages, the API and supervision."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zeren.permits.models import Permit


def permits_for(user: Any, action: str = "view") -> QuerySet[Permit]:
    return Permit.objects.restrict(user, action).select_related(
        "holder", "township", "spouse", "village"
    )
