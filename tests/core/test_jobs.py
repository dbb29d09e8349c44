"""Background jobs: the periodic schedule is registered, in Beijing time, on SQLite or Redis."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from huey.contrib.djhuey import HUEY


def _due_at(moment: dt.datetime) -> set[str]:
    return {task.name for task in HUEY.read_periodic(moment)}


def test_the_embedded_default_store_is_sqlite_in_the_data_directory():
    assert type(HUEY).__name__ == "SqliteHuey"
    assert settings.HUEY["filename"].startswith(str(settings.DATA_DIR))


def test_every_capabilitys_periodic_jobs_are_registered():
    names = " ".join(HUEY._registry._registry)
    for module in ("cases", "permits", "supervision"):
        assert f"zeren.{module}.jobs." in names, names


def test_schedules_are_read_in_beijing_time_not_utc():
    assert HUEY.utc is False
    # Case deadline reminders run at 07:30 Beijing time (23:30 UTC the day before): the
    # consumer asks with local time, so 07:30 is due and 23:30 is not.
    assert "notify_deadlines" in _due_at(dt.datetime(2026, 11, 30, 7, 30))
    assert "notify_deadlines" not in _due_at(dt.datetime(2026, 11, 29, 23, 30))
    # The monthly draw runs on the 1st at 01:10.
    assert "draw_monthly_plans" in _due_at(dt.datetime(2026, 12, 1, 1, 10))


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_with_zeren_redis_url_the_jobs_go_through_redis(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from huey.contrib.djhuey import HUEY\n"
        "HUEY.storage.flush_queue()\n"
        "HUEY.storage.enqueue(b'ping')\n"
        "print(type(HUEY).__name__, HUEY.storage.dequeue().decode())\n"
    )
    env = {
        **os.environ,
        "ZEREN_REDIS_URL": "redis://127.0.0.1:6379/15",
        "ZEREN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "zeren.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["RedisHuey", "ping"]
