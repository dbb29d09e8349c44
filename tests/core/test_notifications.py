"""One notification model, one inbox: core.Notification, core.notifications.notify, the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from tests.conftest import login
from zeren.core.models import Notification
from zeren.core.notifications import inbox, notify, unread_count

pytestmark = pytest.mark.django_db


def test_the_old_reminder_models_are_gone():
    for label in ("cases.Notification", "supervision.Notice"):
        with pytest.raises(LookupError):
            apps.get_model(label)
    assert set(Notification.Kind.values) == {"deadline", "bulletin", "alert", "reminder"}


def test_notify_writes_once_per_key(staff_a):
    first = notify(
        kind="deadline",
        recipient=staff_a,
        title="案件期限将至",
        link="/staff/cases/",
        due_on=dt.date(2026, 3, 17),
        dedupe_key="k1",
    )
    assert first is not None and first.read_at is None
    assert notify(kind="deadline", recipient=staff_a, title="又一次", dedupe_key="k1") is None
    assert Notification.objects.filter(dedupe_key="k1").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "news", "title": "x"}, "未知的通知类别"),
        ({"kind": "alert", "title": "  "}, "须有标题"),
        ({"kind": "alert", "title": "x", "recipient": None}, "须有接收人或发往的区划"),
    ],
)
def test_notify_refuses_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        notify(**kwargs)


def test_the_inbox_holds_ones_own_and_ones_divisions(staff_a, staff_b, township_a, head):
    mine = notify(kind="reminder", recipient=staff_a, title="给甲的提醒")
    theirs = notify(kind="reminder", recipient=staff_b, title="给乙的提醒")
    bulletin = notify(kind="bulletin", division=township_a, title="甲乡镇通报")
    assert set(inbox(staff_a)) == {mine, bulletin}
    assert set(inbox(staff_b)) == {theirs}
    assert bulletin in inbox(head)  # the county sees its townships' broadcasts
    assert unread_count(staff_a) == 1  # broadcasts have no one reader


def test_the_inbox_page_the_unread_badge_and_reading(staff_a, staff_b, township_a):
    note = notify(
        kind="deadline", recipient=staff_a, title="立案审批期限将至", link="/staff/cases/"
    )
    notify(kind="bulletin", division=township_a, title="甲乡镇通报")
    client = login(staff_a)
    page = client.get("/staff/core/inbox/").content.decode()
    assert "立案审批期限将至" in page and "甲乡镇通报" in page
    assert 'aria-label="未读1条"' in page
    assert "甲乡镇通报" not in client.get("/staff/core/inbox/?kind=deadline").content.decode()
    # Another user cannot open it (404, same as missing), nor does reading it mark it.
    assert login(staff_b).get(f"/staff/core/inbox/{note.pk}/").status_code == 404
    response = client.get(f"/staff/core/inbox/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/staff/cases/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'aria-label="未读' not in client.get("/staff/core/inbox/").content.decode()


def test_an_outside_link_is_not_followed(staff_a):
    note = notify(kind="reminder", recipient=staff_a, title="x", link="https://example.org/")
    response = login(staff_a).get(f"/staff/core/inbox/{note.pk}/")
    assert response["Location"] == "/staff/core/inbox/"


def test_an_early_warning_reaches_only_those_who_may_open_it(staff_a, head, officer1, township_a):
    """An alert sent to a division links to the statistics page: officers, who cannot open it,
    do not receive it."""
    alert = notify(kind="alert", division=township_a, title="预警：出生人口性别比偏高")
    assert alert in inbox(head) and alert in inbox(staff_a)
    assert not officer1.has_perm("statistics.view_birth")
    assert alert not in inbox(officer1)
