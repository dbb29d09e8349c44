"""Finding 1 (mask + birth date = full number), finding 6 (numbers in URLs and logs),
finding 9 (views, searches and exports unrecorded): nothing reconstructs an identity number."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import person
from zeren.core.fields import mask_id_number
from zeren.core.models import ChangeLog, SecurityEvent
from zeren.people.rules import make_id_number

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1987, 6, 23)
NUMBER = make_id_number("130525", BIRTH, 417)


@pytest.fixture
def someone(staff_a, village_a):
    return person(actor=staff_a, division=village_a, name="钱七", id_number=NUMBER)


# GB/T 35273-2020 annex A / the issue: no birth date and no reversible part in the mask.
@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("130525198706234170", "130*************70"),
        ("11010519491231002X", "110*************2X"),
        ("130525200002290011", "130*************11"),
    ],
)
def test_the_mask_keeps_only_the_first_three_and_last_two(number, masked):
    assert mask_id_number(number) == masked
    assert number[6:14] not in masked  # the birth date
    assert number[3:6] not in masked[3:]  # the county


def _id_like(text: str) -> set[str]:
    """Everything in ``text`` shaped like a (masked) 18-character identity number."""
    return set(re.findall(r"[0-9*]{17}[0-9Xx*]", text))


def _revealed_digits(shown: str) -> int:
    return sum(ch != "*" for ch in shown)


def _assert_nothing_reconstructs(text: str) -> None:
    assert NUMBER not in text
    assert NUMBER[6:14] not in text  # 19870623
    assert BIRTH.isoformat() not in text and f"{BIRTH:%Y年%m月%d日}" not in text
    assert f"{BIRTH:%m-%d}" not in text and f"{BIRTH.month}月{BIRTH.day}日" not in text
    for shown in _id_like(text):
        assert _revealed_digits(shown) <= 5, shown


def test_no_page_api_answer_or_export_gives_the_number_back(someone, staff_a):
    client = login(staff_a)
    pages = [
        client.get(f"/staff/persons/{someone.pk}/").content.decode(),
        client.get("/staff/persons/").content.decode(),
        json.dumps(client.get(f"/api/persons/{someone.pk}/").json(), ensure_ascii=False),
        json.dumps(client.get("/api/persons/").json(), ensure_ascii=False),
    ]
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(client.get("/staff/persons/export.xlsx").content)
    )
    pages.append(json.dumps(book.get_sheet_by_name("相对人").to_python(), default=str))
    for text in pages:
        _assert_nothing_reconstructs(text)
    assert "1987" in pages[0]  # the birth year is what pages show instead


def test_the_api_gives_the_birth_year_not_the_date(someone, staff_a):
    body = login(staff_a).get(f"/api/persons/{someone.pk}/").json()
    assert body["birth_year"] == 1987 and "birth_date" not in body


def test_a_search_by_number_keeps_the_number_out_of_urls_and_logs(someone, staff_a):
    client = login(staff_a)
    response = client.post("/staff/persons/", {"id_number": NUMBER})
    assert response.status_code == 302
    url = response["Location"]
    assert NUMBER not in url and "id_number" not in url and "?q=" in url
    page = client.get(url)
    assert "钱七" in page.content.decode()
    client.get(f"/staff/persons/{someone.pk}/")
    client.get(f"/staff/persons/export.xlsx?{url.split('?')[1]}")
    logged = json.dumps(
        list(SecurityEvent.objects.values()) + list(ChangeLog.objects.values()),
        default=str,
        ensure_ascii=False,
    )
    assert NUMBER not in logged and NUMBER[6:14] not in logged
    kinds = set(SecurityEvent.objects.filter(username="staff_a").values_list("kind", flat=True))
    assert {"search", "view", "export"} <= kinds
    search = SecurityEvent.objects.get(kind="search", username="staff_a")
    assert search.detail["criteria"] == ["id_number"] and search.ip == "127.0.0.1"


def test_the_export_of_a_search_holds_only_what_was_found(someone, staff_a, village_a):
    person(actor=staff_a, division=village_a, name="孙八")
    client = login(staff_a)
    url = client.post("/staff/persons/", {"id_number": NUMBER})["Location"]
    token = url.split("?")[1]
    rows = (
        CalamineWorkbook.from_filelike(
            io.BytesIO(client.get(f"/staff/persons/export.xlsx?{token}").content)
        )
        .get_sheet_by_name("相对人")
        .to_python()
    )
    assert [r[0] for r in rows[1:]] == ["钱七"]
    event = SecurityEvent.objects.get(kind="export", username="staff_a")
    assert event.detail["rows"] == 1


def test_a_search_token_of_another_session_finds_nothing(someone, staff_a, staff_b):
    url = login(staff_a).post("/staff/persons/", {"name": "钱七"})["Location"]
    other = login(staff_a).get(url).content.decode()  # a new session, same user
    assert "钱七" in other  # no criteria: the unfiltered list of the user's own scope
    assert "钱七" not in login(staff_b).get(url).content.decode()


def test_a_reveal_needs_a_reason(someone, staff_a):
    client = login(staff_a)
    refused = client.post(f"/staff/persons/{someone.pk}/reveal/", {"reason": " "})
    assert refused.status_code == 400 and "事由" in refused.content.decode()
    assert NUMBER not in refused.content.decode()
    api = client.post(f"/api/persons/{someone.pk}/reveal/", {})
    assert api.status_code == 400 and NUMBER not in api.content.decode()
    assert not SecurityEvent.objects.filter(kind="reveal").exists()
    client.post(f"/staff/persons/{someone.pk}/reveal/", {"reason": "核对户籍"})
    event = SecurityEvent.objects.get(kind="reveal")
    assert event.detail["reason"] == "核对户籍" and event.ip == "127.0.0.1"


def test_the_change_log_records_the_client_address(staff_a, village_a):
    client = login(staff_a)
    client.post(
        "/staff/persons/new/",
        {"name": "周九", "id_number": make_id_number("130525", BIRTH, 9), "division": village_a.pk},
        REMOTE_ADDR="10.1.2.3",
    )
    row = ChangeLog.objects.get(content_type__model="person", action="create")
    assert row.ip == "10.1.2.3"
