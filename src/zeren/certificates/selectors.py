"""Reads of certificates shared by pages, the API and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zeren.certificates.models import Certificate


def certificates_for(user: Any, action: str = "view") -> QuerySet[Certificate]:
    return Certificate.objects.restrict(user, action).select_related(
        "type", "holder", "spouse", "township"
    )
