"""Load scenario at twice a county's peak: 80 staff and 40 public users on this machine.

Start a server with the demo data on PostgreSQL (loopback only), then run the scenario,
bounded in users and time (it stops by itself):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zeren_load uv run zeren serve --demo \
        --port 8106 --workers 2
    ZEREN_LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zeren_load \
    uv run locust -f benchmarks/locustfile.py --headless -u 120 -r 20 -t 5m \
        --host http://127.0.0.1:8106 --only-summary

Staff users (township accounts of the demo, ``xiang01``…) log in and read their home page,
person, task, case and beneficiary lists and the API, and edit persons through the API with
``If-Match`` (a 409, when two of them edit the same person at once, is the clear refusal the
system owes them, not an error). The public reads the portal and the published list.

At the end it prints the error rate (a 409 counts as a refusal, not an error), the 95th
percentile per page kind, and, when ``ZEREN_LOAD_DATABASE_URL`` names the server's database,
the change-log rows written for persons during the run against the successful edits: every
write has exactly one audit row. Only loopback hosts are accepted.
"""

from __future__ import annotations

import itertools
import os
import random
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

SEARCH_TERMS = ["两非", "流动人口", "6690357", "扶助", "抽查面"]
DEMO_PASSWORD = "zeren-demo-2026"
TOWNSHIP_ACCOUNTS = int(os.environ.get("ZEREN_LOAD_TOWNSHIPS", "12"))

_accounts = itertools.cycle(f"xiang{n:02d}" for n in range(1, TOWNSHIP_ACCOUNTS + 1))
_lock = threading.Lock()
_tally = {"writes": 0, "refused": 0}
_write_requests: list[str] = []  # X-Request-ID of every write answered 200
_audit: dict[str, int] = {}
_codes: dict[str, list[str]] = {}  # single-use second-factor codes per township account
CODES_PER_ACCOUNT = 40


def _django(url: str) -> None:
    """Set Django up against the server's database (once per process)."""
    if not _audit.get("ready"):
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeren.settings")
        import django

        django.setup()
        _audit["ready"] = 1


def _second_factor_codes() -> None:
    """Give each township account recovery codes for this run (staff pages need 2FA).

    Staff pages and the API refuse a session without the second factor; a real member of
    staff types the code of the phone authenticator. The scenario stands in for the phones:
    it adds single-use recovery codes (django-otp static tokens) to each demo township
    account in the server's database, and each simulated login uses one.
    """
    url = os.environ.get("ZEREN_LOAD_DATABASE_URL")
    if not url:
        return
    _django(url)
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from zeren.org.models import User

    for n in range(1, TOWNSHIP_ACCOUNTS + 1):
        user = User.objects.get(username=f"xiang{n:02d}")
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name="负载测试", defaults={"confirmed": True}
        )
        codes = [StaticToken.random_token() for _ in range(CODES_PER_ACCOUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        _codes[user.username] = codes


def _person_log_rows(request_ids: list[str] | None = None) -> int | None:
    """Change-log updates of persons in the server's database (None when not configured).

    With ``request_ids``: only the rows written by those requests.
    """
    url = os.environ.get("ZEREN_LOAD_DATABASE_URL")
    if not url:
        return None
    _django(url)
    from django.contrib.contenttypes.models import ContentType

    from zeren.core.models import ChangeLog
    from zeren.people.models import Person

    rows = ChangeLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), action=ChangeLog.Action.UPDATE
    )
    if request_ids is not None:
        rows = rows.filter(request_id__in=request_ids)
    return rows.count()


@events.test_start.add_listener
def _only_loopback(environment, **kwargs) -> None:
    host = urlparse(environment.host or "").hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("只允许对本机（127.0.0.1 / localhost）做负载测试")
    _second_factor_codes()
    rows = _person_log_rows()
    if rows is not None:
        _audit["before"] = rows


@events.test_stop.add_listener
def _report(environment, **kwargs) -> None:
    stats = environment.stats
    total = stats.total
    print("\n== Zeren load report ==")
    print(f"requests {total.num_requests}, errors {total.num_failures}, ", end="")
    print(f"error rate {total.fail_ratio:.3%}, refusals (409) {_tally['refused']}")
    print(f"{'page kind':<28}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}")
    for (name, method), entry in sorted(stats.entries.items()):
        print(
            f"{method + ' ' + name:<28}{entry.num_requests:>10}"
            f"{entry.get_response_time_percentile(0.5):>10.0f}"
            f"{entry.get_response_time_percentile(0.95):>10.0f}{entry.num_failures:>8}"
        )
    rows = _person_log_rows()
    if rows is not None and "before" in _audit:
        mine = _person_log_rows(_write_requests)
        verdict = "OK" if mine == _tally["writes"] == len(set(_write_requests)) else "MISMATCH"
        print(
            f"successful writes {_tally['writes']}, their change-log rows {mine}: {verdict}; "
            f"all person change-log rows during the run {rows - _audit['before']} "
            "(more when writes were still in flight at the stop)"
        )


class Visitor(HttpUser):
    """The public: portal pages and the published list."""

    weight = 1
    wait_time = between(1, 3)

    @task(5)
    def home(self) -> None:
        self.client.get("/", name="public: home")

    @task(2)
    def services(self) -> None:
        self.client.get("/services/", name="public: services")

    @task(2)
    def search(self) -> None:
        self.client.get(
            "/search/", params={"q": random.choice(SEARCH_TERMS)}, name="public: search"
        )

    @task(1)
    def api_list(self) -> None:
        self.client.get("/api/list/", name="public: api list")


class Staff(HttpUser):
    """A township member of staff: reads the working lists, edits persons with If-Match."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        with _lock:
            username = next(_accounts)
        self.client.get("/staff/login/", name="staff: login")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/staff/login/",
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/staff/login/"},
            name="staff: login",
        )
        with _lock:
            codes = _codes.get(username)
            code = codes.pop() if codes else ""
        if code:
            self.client.post(
                "/staff/account/otp/verify/",
                {"token": code, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
                headers={"Referer": f"{self.host}/staff/account/otp/verify/"},
                name="staff: second factor",
            )
        page = self.client.get("/api/persons/", name="api: persons").json()
        self.person_ids = [p["id"] for p in page.get("results", [])][:20]

    @task(4)
    def home(self) -> None:
        self.client.get("/staff/", name="staff: home")

    @task(3)
    def persons(self) -> None:
        self.client.get("/staff/persons/", name="staff: persons")

    @task(2)
    def inspection_tasks(self) -> None:
        self.client.get("/staff/supervision/tasks/", name="staff: tasks")

    @task(2)
    def cases(self) -> None:
        self.client.get("/staff/cases/", name="staff: cases")

    @task(2)
    def beneficiaries(self) -> None:
        self.client.get("/staff/funds/beneficiaries/", name="staff: beneficiaries")

    @task(2)
    def api_persons(self) -> None:
        self.client.get("/api/persons/", name="api: persons")

    @task(2)
    def edit_person(self) -> None:
        if not self.person_ids:
            return
        pk = random.choice(self.person_ids)
        read = self.client.get(f"/api/persons/{pk}/", name="api: person")
        etag = read.headers.get("ETag", "")
        with self.client.patch(
            f"/api/persons/{pk}/",
            json={"address": f"负载测试地址{random.randrange(10**9)}"},
            headers={
                "If-Match": etag,
                "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
                "Referer": f"{self.host}/staff/",
            },
            name="api: person edit",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                with _lock:
                    _tally["writes"] += 1
                    _write_requests.append(response.headers.get("X-Request-ID", ""))
                response.success()
            elif response.status_code == 409:
                with _lock:
                    _tally["refused"] += 1
                response.success()  # someone else saved first: a clear refusal, not an error
            else:
                response.failure(f"HTTP {response.status_code}")
