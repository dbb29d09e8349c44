"""Staff pages of the funds app: thin, scoped, masked."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zeren.funds import selectors


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2004 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
@permission_required("funds.view_beneficiary", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    user, year = request.user, _year(request)
    ctx = {
        "year": year,
        "progress": selectors.campaign_progress(year=year, user=user),
        "payments": selectors.payment_confirmation(year=year, user=user),
        "recoveries": selectors.recoveries_outstanding(user=user),
        "deductions": selectors.deductions(year=year, user=user),
        "alerts": selectors.alerts(year=year, user=user),
    }
    return render(request, "funds/dashboard.html", ctx)
