"""The published list is read once per version and public pages answer conditional GETs."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login

pytestmark = pytest.mark.django_db

PAGES = ["/", "/boundaries/", "/services/", "/regimes/", "/regimes/1/", "/print/", "/versions/"]


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_published_list_is_read_from_the_database_once(public, real_cache):
    first = _queries(public, "/")
    again = _queries(public, "/")
    # The contents (duties, items, boundaries, services, regimes: 7+ queries) come from the
    # cache the second time; what is left is the version look-up and the menu.
    assert first - again >= 5, (first, again)


@pytest.mark.parametrize("url", PAGES)
def test_an_unchanged_page_answers_304_to_its_etag(public, url):
    response = public.get(url)
    assert response.status_code == 200
    etag = response["ETag"]
    assert response["Last-Modified"]
    again = public.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_a_new_version_changes_the_etag(public, section_staff):
    from zeren.catalogue.models import ListVersion
    from zeren.catalogue.services import list_draft_start, list_publish

    etag = public.get("/")["ETag"]
    draft = list_draft_start(actor=section_staff, department=section_staff.department)
    list_publish(actor=section_staff, version=draft, summary="测试：重新发布")
    assert ListVersion.objects.filter(status="published").count() >= 2
    response = public.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_signed_in_users_always_get_the_page(section_staff):
    client = login(section_staff)
    response = client.get("/")
    assert not response.has_header("ETag")
    assert client.get("/", HTTP_IF_NONE_MATCH='"anything"').status_code == 200
