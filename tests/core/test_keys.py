"""Issue 17 item 4: one key set. The database keeps the keys' fingerprints; a process with
other keys refuses to start and ``zeren doctor`` says why."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from zeren.core import crypto
from zeren.core.keys import check_keys, key_mismatches, record_keys
from zeren.core.models import KeyFingerprint


@pytest.mark.django_db
def test_fingerprints_are_recorded_once_and_reveal_no_key():
    assert sorted(record_keys()) == ["audit", "hash", "sm4"]
    assert record_keys() == []
    stored = dict(KeyFingerprint.objects.values_list("kind", "fingerprint"))
    assert stored == crypto.key_fingerprints()
    from django.conf import settings

    assert settings.ZEREN_SM4_KEY not in str(stored) and settings.ZEREN_HASH_KEY not in str(stored)
    check_keys()  # the same keys: no complaint


@pytest.mark.django_db
def test_other_keys_are_refused_naming_each_key():
    record_keys()
    with override_settings(ZEREN_SM4_KEY=secrets.token_hex(16)):
        assert len(key_mismatches()) == 1
        with pytest.raises(ImproperlyConfigured, match=r"个人信息加密密钥.*不一致"):
            check_keys()
    with override_settings(ZEREN_HASH_KEY=secrets.token_hex(32)):
        with pytest.raises(ImproperlyConfigured, match="检索索引密钥"):
            check_keys()


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_a_process_started_with_different_keys_refuses_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "ZEREN_"))}
    env.update(
        ZEREN_DATA_DIR=str(tmp_path),
        ZEREN_ADMIN_PASSWORD="Zr-test-Passw0rd!",
        DJANGO_SETTINGS_MODULE="zeren.settings",
    )
    init = _run(["-m", "zeren.cli", "init"], env)
    assert init.returncode == 0, init.stderr
    assert "指纹" in init.stdout
    same = _run(["-c", "import zeren.wsgi"], env)
    assert same.returncode == 0, same.stderr
    assert _run(["-m", "zeren.cli", "doctor"], env).returncode == 0

    other = {**env, "ZEREN_SM4_KEY": secrets.token_hex(16)}
    started = _run(["-c", "import zeren.wsgi"], other)
    assert started.returncode != 0
    assert "密钥不一致，拒绝启动" in started.stderr and "个人信息加密密钥" in started.stderr
    doctor = _run(["-m", "zeren.cli", "doctor"], other)
    assert doctor.returncode == 1 and "个人信息加密密钥" in doctor.stdout
    again = _run(["-m", "zeren.cli", "init"], other)
    assert again.returncode == 2 and "拒绝启动" in again.stderr


class _Stop(Exception):
    pass


@pytest.mark.django_db
def test_rotation_re_encrypts_in_resumable_batches(tmp_path, monkeypatch, staff_a, village_a):
    from django.conf import settings

    from tests.factories import person
    from zeren.core.keys import rotate_keys
    from zeren.people.models import Person

    monkeypatch.delenv("ZEREN_SM4_KEY", raising=False)
    monkeypatch.delenv("ZEREN_HASH_KEY", raising=False)
    (tmp_path / "sm4.key").write_text(settings.ZEREN_SM4_KEY)
    (tmp_path / "sm3-hmac.key").write_text(settings.ZEREN_HASH_KEY)
    record_keys()
    people = [
        person(actor=staff_a, division=village_a, name=f"轮换{i}", phone=f"1380000000{i}")
        for i in range(3)
    ]
    seen: list[str] = []

    def interrupt(message: str) -> None:
        seen.append(message)
        if len(seen) == 2:
            raise _Stop  # killed after the second batch

    with pytest.raises(_Stop):
        rotate_keys(actor="测试", key_dir=tmp_path, batch=1, progress=interrupt)
    assert (tmp_path / "rotation.json").exists() and (tmp_path / "sm4.key.new").exists()
    rotate_keys(actor="测试", key_dir=tmp_path, batch=1, progress=seen.append)
    assert not (tmp_path / "rotation.json").exists()
    new_sm4, new_hash = (tmp_path / "sm4.key").read_text(), (tmp_path / "sm3-hmac.key").read_text()
    assert new_sm4 != settings.ZEREN_SM4_KEY and (tmp_path / "sm4.key.old").exists()

    with pytest.raises(ImproperlyConfigured):
        check_keys()  # this process still holds the old keys
    with override_settings(ZEREN_SM4_KEY=new_sm4, ZEREN_HASH_KEY=new_hash):
        check_keys()
        for p in people:
            again = Person.objects.get(pk=p.pk)
            assert (again.name, again.id_number, again.phone) == (p.name, p.id_number, p.phone)
        assert Person.objects.filter(name_hash=crypto.blind_index("轮换1")).count() == 1
