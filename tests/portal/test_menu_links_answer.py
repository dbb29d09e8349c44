"""Every menu entry and every home-card link a role is shown opens for that role (no 403, no
always-empty list offered to a partner department that has nothing shared with it)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db

ROLES = ["head", "section_staff", "staff_a", "partner", "auditor", "officer1"]


def _links(html: str, part: str) -> set[str]:
    """The ``/staff/`` links of the navbar (``part="nav"``) or of the page's main area."""
    if part == "nav":
        html = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    else:
        html = html.split("<main", 1)[1].split("</main>", 1)[0]
    return {
        href
        for href in re.findall(r'href="([^"#?]+)', html)
        if href.startswith("/staff/") and "logout" not in href
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("part", ["nav", "main"])
def test_every_link_a_role_is_shown_opens(request, role, part):
    user = request.getfixturevalue(role)
    client = login(user)
    links = _links(client.get("/staff/").content.decode(), part)
    assert links, "the page offers nothing to open"
    refused = {url: code for url in sorted(links) if (code := client.get(url).status_code) != 200}
    assert refused == {}


def test_a_partner_is_not_offered_the_lists_nothing_is_shared_into(partner):
    nav = login(partner).get("/staff/").content.decode().split("</nav>", 1)[0]
    for label in ("相对人", "许可证件", "公共服务办件", "案件查处"):
        assert f">{label}<" not in nav


def test_a_partner_is_offered_the_persons_once_one_is_shared(partner, head, village_a):
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import person as make_person
    from zeren.core.models import Share
    from zeren.people.models import Person

    person = make_person(actor=head, division=village_a)
    Share.objects.create(
        department=partner.department,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=person.pk,
        granted_by=head,
        reason="联合检查",
    )
    nav = login(partner).get("/staff/").content.decode().split("</nav>", 1)[0]
    assert ">相对人<" in nav and ">许可证件<" not in nav


def test_the_partners_supervision_card_does_not_link_to_the_indicator_board(partner):
    main = login(partner).get("/staff/").content.decode().split("<main")[1]
    assert "尚未达标" not in main and "查看达标情况" not in main
