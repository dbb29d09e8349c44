"""Uniform scope test: every scoped model and every API endpoint over one, checked alike.

The models are not listed here: the test enumerates every model with a ``scope_division``
and every router registration whose queryset holds such a model, so a new scoped model or
endpoint is covered the day it is added (NetBox's uniform view tests are the model). On the
demo data, for one object of each model that lies in a township:

- the township's own staff (or, where they lack the permission, the county's section staff)
  see it through ``restrict`` and get 200 from the endpoint's detail;
- another township's staff do not see it and get 404 (the same answer as a missing object);
- a user without the model's view permission gets 403 from the list, or an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import force_login
from zeren.api.urls import router
from zeren.core.roles import Role
from zeren.demo import load_demo
from zeren.org.models import Division, User

SCOPED = sorted(
    (m for m in apps.get_models() if getattr(m, "scope_division", None) and not m._meta.proxy),
    key=lambda m: m._meta.label,
)


def _perm(model, action: str = "view") -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _township_of(model, pk) -> Division | None:
    path = model.objects.filter(pk=pk).values_list(f"{model.scope_division}__path", flat=True)
    path = path.first()
    if not path:
        return None
    parts = [p for p in path.split("/") if p]
    townships = Division.objects.filter(level=Division.Level.TOWNSHIP, code__in=parts)
    return townships.first()


@dataclass
class Case:
    model: type
    pk: int
    township: Division
    insider: User
    outsider: User


def _make_missing() -> None:
    """Objects the demo data do not hold, made directly (they only need to exist here)."""
    import datetime as dt
    from decimal import Decimal

    from zeren.cases.models import Case as EnforcementCase
    from zeren.cases.models import FileReview

    if not FileReview.objects.exists():
        case = EnforcementCase.objects.filter(township__isnull=False).order_by("pk").first()
        FileReview.objects.create(
            case=case,
            period="2026H1",
            reviewer=User.objects.filter(role=Role.SECTION).first(),
            reviewed_on=dt.date(2026, 7, 1),
            scores={},
            total=Decimal(0),
        )


def _cases() -> list[Case]:
    cases, missing = [], []
    staff = {u.township_id: u for u in User.objects.filter(role=Role.TOWNSHIP, is_active=True)}
    section = User.objects.filter(role=Role.SECTION, is_active=True).first()
    for model in SCOPED:
        found = None
        for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:200]:
            township = _township_of(model, pk)
            if township is not None and township.pk in staff:
                found = (pk, township)
                break
        if found is None:
            missing.append(model._meta.label)
            continue
        pk, township = found
        insider = staff[township.pk]
        if not insider.has_perm(_perm(model)):
            insider = section
        outsider = next(u for tid, u in staff.items() if tid != township.pk)
        cases.append(Case(model, pk, township, insider, outsider))
    assert not missing, f"the demo data hold no township object of: {missing}"
    return cases


def _endpoints() -> dict[type, str]:
    """``{model: API list prefix}`` for every router registration over a scoped model."""
    found = {}
    for prefix, viewset, _basename in router.registry:
        model = getattr(viewset, "model", None)
        queryset = getattr(viewset, "queryset", None)
        if model is None and queryset is not None:
            model = queryset.model
        if model is None:
            serializer = getattr(viewset, "serializer_class", None)
            model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None and getattr(model, "scope_division", None):
            found.setdefault(model, f"/api/{prefix}/")
    return found


def _client(user: User) -> Client:
    client = Client()
    force_login(client, user)
    return client


@pytest.mark.slow
@pytest.mark.django_db
def test_every_scoped_model_and_endpoint_answers_alike():
    load_demo(progress=lambda _message: None)
    _make_missing()
    cases = _cases()
    assert len(cases) == len(SCOPED) >= 18  # the enumeration found the known models
    endpoints = _endpoints()
    assert len(endpoints) >= 10, endpoints
    nobody = User.objects.filter(role=Role.PARTNER, is_active=True).first()
    problems = []
    for case in cases:
        label = case.model._meta.label
        visible_in = case.model.objects.restrict(case.insider, "view").filter(pk=case.pk)
        visible_out = case.model.objects.restrict(case.outsider, "view").filter(pk=case.pk)
        if not visible_in.exists():
            problems.append(f"{label}: {case.insider} cannot see its own township's object")
        if visible_out.exists():
            problems.append(f"{label}: {case.outsider} sees another township's object")
        prefix = endpoints.get(case.model)
        if prefix is None:
            continue
        url = f"{prefix}{case.pk}/"
        inside = _client(case.insider).get(url)
        if inside.status_code != 200:
            problems.append(f"{url}: {case.insider} got {inside.status_code}, not 200")
        outside = _client(case.outsider).get(url)
        if outside.status_code != 404:
            problems.append(f"{url}: {case.outsider} got {outside.status_code}, not 404")
        if not nobody.has_perm(_perm(case.model)):
            listed = _client(nobody).get(prefix)
            if listed.status_code == 200 and listed.json().get("results"):
                problems.append(f"{prefix}: {nobody} without permission got rows")
            elif listed.status_code not in (200, 403, 404):
                problems.append(f"{prefix}: {nobody} got {listed.status_code}")
    assert not problems, "\n".join(problems)
