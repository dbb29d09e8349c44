"""Load test of the public portal and API against a server on this machine.

Start the server (`uv run zeren serve --demo`), then, bounded in users and time:

    uv run locust -f benchmarks/locustfile.py --headless -u 20 -r 5 -t 30s \
        --host http://127.0.0.1:8000

Locust prints requests per second and latency percentiles per page at the end.
Only loopback hosts are accepted: this is never pointed at another machine.
"""

from __future__ import annotations

from urllib.parse import urlparse

from locust import HttpUser, between, events, task

SEARCH_TERMS = ["两非", "流动人口", "6690357", "扶助", "抽查面"]


@events.test_start.add_listener
def _only_loopback(environment, **kwargs) -> None:
    host = urlparse(environment.host or "").hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("只允许对本机（127.0.0.1 / localhost）做负载测试")


class Visitor(HttpUser):
    wait_time = between(0.1, 0.5)

    @task(5)
    def home(self) -> None:
        self.client.get("/")

    @task(2)
    def services(self) -> None:
        self.client.get("/services/")

    @task(2)
    def search(self) -> None:
        term = SEARCH_TERMS[self.environment.runner.user_count % len(SEARCH_TERMS)]
        self.client.get("/search/", params={"q": term}, name="/search/?q=…")

    @task(1)
    def api_list(self) -> None:
        self.client.get("/api/list/")
