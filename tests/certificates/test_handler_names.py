"""The certificate's history names its handlers by full name; the login is only a tooltip."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_history_names_the_handler_not_the_login(honour, staff_a, section_staff):
    type(section_staff).objects.filter(pk=section_staff.pk).update(name="周敏")
    type(staff_a).objects.filter(pk=staff_a.pk).update(name="王芳")
    page = login(staff_a).get(f"/staff/certificates/{honour.pk}/").content.decode()
    history = page.split("历程", 1)[1].split("</table>", 1)[0]
    assert f'<span title="登录名：{section_staff.username}">周敏</span>' in history
    assert f'<span title="登录名：{staff_a.username}">王芳</span>' in history
    assert f">{section_staff.username}<" not in history


def test_a_valid_certificate_shows_green_and_a_revoked_one_red_with_a_way_back(
    honour, staff_a, head
):
    import datetime as dt

    from zeren.certificates.services import certificate_revoke

    client = login(staff_a)
    page = client.get(f"/staff/certificates/{honour.pk}/").content.decode()
    assert '<span class="badge text-bg-success">有效</span>' in page
    assert '<a href="/staff/certificates/">← 免费证件</a>' in page
    certificate_revoke(actor=head, certificate=honour, ground="deception", on=dt.date(2026, 4, 1))
    page = client.get(f"/staff/certificates/{honour.pk}/").content.decode()
    assert 'class="badge text-bg-danger"' in page
