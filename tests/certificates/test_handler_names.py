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
