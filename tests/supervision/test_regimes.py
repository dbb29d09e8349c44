"""The seeded regimes carry the list's figures as data, with source and effective date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zeren.supervision.models import SupervisionRegime
from zeren.supervision.seed import REGIMES, seed_regimes
from zeren.supervision.selectors import regime_in_force

pytestmark = pytest.mark.django_db

# code, frequency, rounds a year, coverage, minimum, level, officers per task
FIGURES = [
    ("termination-followup", "month", 12, Decimal("0.80"), 0, "township", 0),
    ("termination-special", "year", 2, Decimal("0.20"), 0, "county", 2),
    ("rebirth-spot-check", "month", 12, Decimal("0"), 10, "county", 2),
    ("rebirth-followup", "month", 12, Decimal("1"), 0, "township", 0),
    ("fund-payment-check", "year", 1, Decimal("1"), 0, "township", 0),
    ("fund-full-verification", "year", 1, Decimal("1"), 0, "county", 0),
]


@pytest.mark.parametrize(
    ("code", "frequency", "rounds", "ratio", "minimum", "level", "officers"), FIGURES
)
def test_the_seeded_figures(code, frequency, rounds, ratio, minimum, level, officers):
    r = SupervisionRegime.objects.get(code=code)
    assert (r.frequency, r.rounds_per_year, r.coverage_ratio, r.minimum_count) == (
        frequency,
        rounds,
        ratio,
        minimum,
    )
    assert (r.performed_by, r.officers_per_task) == (level, officers)
    assert r.source.startswith("隆尧县计生局责任清单") and r.source_text and r.check_items


def test_seeding_is_idempotent():
    assert seed_regimes(SupervisionRegime) == 0
    assert SupervisionRegime.objects.count() == len(REGIMES)


def test_a_later_version_takes_over_from_its_effective_date():
    old = SupervisionRegime.objects.get(code="termination-followup")
    new = SupervisionRegime.objects.get(pk=old.pk)
    new.pk = None
    new.effective_from = dt.date(2027, 1, 1)
    new.coverage_ratio = Decimal("0.90")
    new.save()
    assert regime_in_force("termination-followup", dt.date(2026, 12, 31)).pk == old.pk
    assert regime_in_force("termination-followup", dt.date(2027, 1, 1)).coverage_ratio == Decimal(
        "0.90"
    )


def test_fund_regimes_are_not_drawn_here(head):
    from django.core.exceptions import ValidationError

    from zeren.supervision.services import sampling_plan_commit

    with pytest.raises(ValidationError, match="扶助金模块"):
        sampling_plan_commit(
            actor=head,
            regime=SupervisionRegime.objects.get(code="fund-payment-check"),
            period="2026-03",
        )


def test_an_administrator_can_edit_a_regime_in_the_admin(admin_user):
    from tests.conftest import login

    regime = SupervisionRegime.objects.get(code="rebirth-spot-check")
    response = login(admin_user).get(f"/admin/supervision/supervisionregime/{regime.pk}/change/")
    assert response.status_code == 200 and "保存为新的" in response.content.decode()
