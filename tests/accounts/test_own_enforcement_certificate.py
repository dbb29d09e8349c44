"""An officer sees his own enforcement certificate (执法证) and whether it is valid."""

from __future__ import annotations

import pytest

from tests.conftest import login
from zeren.org.models import EnforcementCertificate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "badge"), [("officer1", "有效"), ("officer_expired", "无效")])
def test_the_account_page_shows_ones_enforcement_certificate(request, who, badge):
    user = request.getfixturevalue(who)
    cert = EnforcementCertificate.objects.get(officer__user=user)
    page = login(user).get("/staff/account/").content.decode()
    assert "我的执法证" in page and cert.number in page
    assert f"{cert.valid_to:%Y-%m-%d}" in page and f">{badge}</span>" in page


def test_staff_without_a_certificate_see_no_such_section(section_staff):
    assert "我的执法证" not in login(section_staff).get("/staff/account/").content.decode()
