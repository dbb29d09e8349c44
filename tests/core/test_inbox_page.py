"""The inbox page: narrow columns that do not wrap, 「全部标为已读」, readable attachment names."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import login
from zeren.core.models import Notification
from zeren.core.notifications import notify, unread_count

pytestmark = pytest.mark.django_db


def test_mark_all_read_clears_ones_own_unread_and_leaves_others(staff_a, staff_b, township_a):
    for n in range(3):
        notify(kind="deadline", recipient=staff_a, title=f"期限{n}", dedupe_key=f"a{n}")
    notify(kind="deadline", recipient=staff_b, title="别人的", dedupe_key="b0")
    notify(kind="bulletin", division=township_a, title="通报", dedupe_key="d0")
    client = login(staff_a)
    page = client.get("/staff/core/inbox/").content.decode()
    assert page.count(">未读</span>") == 3 and "全部标为已读" in page
    assert client.post("/staff/core/inbox/read-all/").status_code == 302
    assert unread_count(staff_a) == 0 and unread_count(staff_b) == 1
    page = client.get("/staff/core/inbox/").content.decode()
    assert ">未读</span>" not in page and "全部标为已读" not in page
    assert Notification.objects.get(dedupe_key="d0").read_at is None  # a broadcast has no reader
    assert client.get("/staff/core/inbox/read-all/").status_code == 405


def test_the_kind_and_date_columns_do_not_wrap(staff_a):
    notify(
        kind="deadline",
        recipient=staff_a,
        title="案件期限将至",
        due_on=dt.date(2026, 3, 17),
        dedupe_key="k",
    )
    page = login(staff_a).get("/staff/core/inbox/").content.decode()
    row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    label = Notification.Kind("deadline").label
    assert f'<td class="text-nowrap">{label}</td>' in row
    assert '<td class="text-nowrap">2026-03-17</td>' in row


def test_the_bulletins_attachment_names_the_township_not_its_code(township_a):
    from zeren.supervision import periodic

    periodic.publish_rebirth_bulletins(dt.date(2026, 3, 1))
    notice = Notification.objects.get(kind="bulletin", division=township_a)
    assert notice.document_name == f"再生育审批通报-{township_a.name}-2026-02.xlsx"
    assert township_a.code not in notice.document_name
