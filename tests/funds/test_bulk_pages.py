"""Nothing lost on entry: the bulk verification page with wrong rows saves nothing, keeps every
typed value, and names each wrong row by its person and row number."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.funds.conftest import make_beneficiary, pay_months
from zeren.funds.models import Verification
from zeren.funds.services import campaign_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(village_a):
    people = [make_beneficiary(village=village_a, name=n) for n in ("甲大娘", "乙大爷", "丙大娘")]
    pay_months("special", 2026, range(1, 8))
    campaign, _ = campaign_open(actor=None, year=2026, kind="full")
    checks = [campaign.verifications.get(beneficiary=b) for b in people]
    return campaign, checks


def _value(page: str, name: str) -> str:
    """The value a page's input or select holds for ``name``."""
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    if select:
        chosen = re.search(r'<option value="([^"]*)" selected', select[0])
        return chosen[1] if chosen else ""
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)[0]
    return re.search(r'value="([^"]*)"', field)[1]


def test_one_bad_row_keeps_every_typed_value_and_names_the_person(staff_a, three):
    campaign, (v1, v2, v3) = three
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    typed = {
        "ids": [v1.pk, v2.pk, v3.pk],
        f"outcome_{v1.pk}": "confirmed",
        f"method_{v1.pk}": "home",
        f"note_{v1.pk}": "本人在家，核实无误",
        f"outcome_{v2.pk}": "died",  # a death dated tomorrow: wrong
        f"method_{v2.pk}": "phone",
        f"date_{v2.pk}": tomorrow,
        f"note_{v2.pk}": "家属电话告知",
        f"outcome_{v3.pk}": "changed",  # a change without its date: wrong
        f"note_{v3.pk}": "已迁往外县",
    }
    response = login(staff_a).post(reverse("funds-campaign-record", args=[campaign.pk]), typed)

    assert response.status_code == 400
    page = response.content.decode()
    # Every error at once, by row and name.
    assert "第2行 乙大爷：死亡/变化日期" in page and "晚于今天" in page
    assert "第3行 丙大娘：请填写死亡/变化日期" in page
    assert "第1行 甲大娘" not in page
    # Every typed value is back on the page, the good row's too.
    for name, value in typed.items():
        if name != "ids":
            assert _value(page, name) == value, name
    # Nothing saved.
    assert not Verification.objects.filter(pk__in=[v1.pk, v2.pk, v3.pk]).exclude(outcome="")


def test_the_corrected_page_saves_all_rows(staff_a, three):
    campaign, (v1, v2, v3) = three
    data = {
        "ids": [v1.pk, v2.pk, v3.pk],
        f"outcome_{v1.pk}": "confirmed",
        f"outcome_{v2.pk}": "died",
        f"date_{v2.pk}": "2026-05-10",
    }
    response = login(staff_a).post(reverse("funds-campaign-record", args=[campaign.pk]), data)
    assert response.status_code == 302
    outcomes = dict(
        Verification.objects.filter(pk__in=[v1.pk, v2.pk, v3.pk]).values_list("pk", "outcome")
    )
    assert outcomes == {v1.pk: "confirmed", v2.pk: "died", v3.pk: ""}


def test_an_unreadable_date_and_a_note_without_outcome_are_row_errors(staff_a, three):
    campaign, (v1, v2, _v3) = three
    data = {
        "ids": [v1.pk, v2.pk],
        f"outcome_{v1.pk}": "died",
        f"date_{v1.pk}": "2026-13-40",
        f"note_{v2.pk}": "未见到本人",
    }
    response = login(staff_a).post(reverse("funds-campaign-record", args=[campaign.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "第1行 甲大娘：死亡/变化日期“2026-13-40”不是有效日期" in page
    assert "第2行 乙大爷：已填写内容但未选择核查结果" in page
    assert _value(page, f"note_{v2.pk}") == "未见到本人"
