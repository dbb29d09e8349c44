"""Shared test setup: reference data loaded once, and the personas every test reuses.

Personas (Healthchecks style): a township-A staff member (隆尧镇), a township-B staff member
(魏家庄镇), a bureau head, section staff, two officers with valid certificates and one with
an expired certificate, a health-bureau partner, an auditor, an administrator, and the public
(an anonymous client).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zeren.core.audit import acting_as
from zeren.core.roles import Role
from zeren.org.models import Department, Division, Section, User
from zeren.org.services import officer_certify, org_load_seed, user_create

PASSWORD = "Correct-horse-battery-staple"
TOWNSHIP_A = "130525100"  # 隆尧镇
TOWNSHIP_B = "130525101"  # 魏家庄镇


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in tests: serve static files straight from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    # No cached figures leak from one test into the next (tests that test caching opt in).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests are spread one by one over the workers (``--dist loadgroup``), in the order
    pytest-django gives them: transactional tests last, so that their flush of a worker's
    database never precedes a test that relies on the data loaded once per session. A browser
    module stays on one worker, which starts its server once."""
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the organisation, two villages a township, and the list."""
    from zeren.catalogue.services import list_load_seed

    with django_db_blocker.unblock(), acting_as("测试初始化"):
        org_load_seed()
        for township in Division.objects.filter(level=Division.Level.TOWNSHIP):
            for n in (1, 2):
                Division.objects.get_or_create(
                    code=f"{township.code}{200 + n:03d}",
                    defaults={
                        "name": f"{township.name}{n}村",
                        "level": Division.Level.VILLAGE,
                        "parent": township,
                    },
                )
        list_load_seed()


def _bureau() -> Department:
    return Department.objects.get(code="longyao-jsj")


def make_user(username: str, role: str, **kwargs) -> User:
    return user_create(
        actor=None, username=username, password=PASSWORD, name=username, role=role, **kwargs
    )


@pytest.fixture
def bureau(db) -> Department:
    return _bureau()


@pytest.fixture
def township_a(db) -> Division:
    return Division.objects.get(code=TOWNSHIP_A)


@pytest.fixture
def township_b(db) -> Division:
    return Division.objects.get(code=TOWNSHIP_B)


@pytest.fixture
def village_a(township_a) -> Division:
    return township_a.children.order_by("code").first()


@pytest.fixture
def village_b(township_b) -> Division:
    return township_b.children.order_by("code").first()


@pytest.fixture
def staff_a(bureau, township_a) -> User:
    return make_user("staff_a", Role.TOWNSHIP, department=bureau, township=township_a)


@pytest.fixture
def staff_b(bureau, township_b) -> User:
    return make_user("staff_b", Role.TOWNSHIP, department=bureau, township=township_b)


@pytest.fixture
def head(bureau) -> User:
    return make_user(
        "head",
        Role.HEAD,
        department=bureau,
        section=Section.objects.get(department=bureau, name="办公室"),
    )


@pytest.fixture
def section_staff(bureau) -> User:
    return make_user(
        "clerk",
        Role.SECTION,
        department=bureau,
        section=Section.objects.get(department=bureau, name="审批服务股"),
    )


@pytest.fixture
def partner(db) -> User:
    return make_user("health", Role.PARTNER, department=Department.objects.get(code="longyao-wsj"))


@pytest.fixture
def auditor(bureau) -> User:
    return make_user("auditor", Role.AUDITOR, department=bureau)


@pytest.fixture
def admin_user(bureau) -> User:
    return user_create(
        actor=None,
        username="root",
        password=PASSWORD,
        name="管理员",
        role=Role.ADMIN,
        department=bureau,
        is_superuser=True,
    )


def _officer(username: str, bureau: Department, valid_to: dt.date, number: str) -> User:
    user = make_user(
        username,
        Role.OFFICER,
        department=bureau,
        section=Section.objects.get(department=bureau, name="政策法规股"),
    )
    officer_certify(
        actor=None, user=user, number=number, valid_from=dt.date(2020, 1, 1), valid_to=valid_to
    )
    return user


@pytest.fixture
def officer1(bureau) -> User:
    return _officer("officer1", bureau, dt.date(2030, 12, 31), "冀执-0001")


@pytest.fixture
def officer2(bureau) -> User:
    return _officer("officer2", bureau, dt.date(2030, 12, 31), "冀执-0002")


@pytest.fixture
def officer_expired(bureau) -> User:
    return _officer("officer_old", bureau, dt.date(2024, 6, 30), "冀执-0003")


def login(user: User, *, second_factor: bool = True) -> Client:
    """A client logged in as ``user``; with ``second_factor`` (the default) the session has
    also passed TOTP, as after the real verify step (tests/accounts test that step itself)."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    if second_factor:
        pass_second_factor(client, user)
    return client


def force_login(client: Client, user: User) -> Client:
    """``client.force_login(user)`` plus a passed second factor (privileged users need one)."""
    client.force_login(user)
    return pass_second_factor(client, user)


def pass_second_factor(client: Client, user: User) -> Client:
    """Mark ``client``'s session as having passed TOTP with a confirmed device of ``user``."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "测试验证器"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def public() -> Client:
    return Client()
