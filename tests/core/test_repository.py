"""The repository holds no real-format identity number except the documented samples.

The samples are listed below with why each is there; docs/security.md describes them without
writing the numbers out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from zeren.people.rules import InvalidIdNumber, parse_id_number

ROOT = Path(__file__).resolve().parents[2]
GIT = shutil.which("git") or "git"

# Each is a made-up number used by tests (docs/security.md describes them, without the numbers).
DOCUMENTED_SAMPLES = frozenset(
    {
        "11010519491231002X",  # GB 11643-1999's own worked example
        "130525199001010011",  # the tests' sample person (Longyao county code)
        "130525199001010038",  # a second sample person (change-log tests)
        "440524188001010014",  # a nineteenth-century birth date (validation tests)
    }
)
CANDIDATE = re.compile(rb"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def valid_id_numbers(data: bytes) -> set[str]:
    """Every checksum-valid identity number (real birth date, GB 11643 check digit) in ``data``."""
    found = set()
    for match in CANDIDATE.finditer(data):
        try:
            found.add(parse_id_number(match.group().decode()).value)
        except InvalidIdNumber:
            continue
    return found


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(
            [GIT, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in out.decode().split("\0") if name]


def test_the_scanner_finds_a_valid_number_and_ignores_a_wrong_check_digit():
    # Assembled at run time so that this file itself holds no such number.
    real_format = "130525" + "19650126" + "0005"
    assert valid_id_numbers(f"a,{real_format},b".encode()) == {real_format}
    assert valid_id_numbers(f"a,{real_format[:-1]}6,b".encode()) == set()
    assert valid_id_numbers(f"{real_format}1".encode()) == set()  # 19 digits: not an ID number


def test_no_tracked_file_holds_an_undocumented_id_number():
    leaks = {}
    for path in tracked_files():
        if not path.is_file():
            continue
        extra = valid_id_numbers(path.read_bytes()) - DOCUMENTED_SAMPLES
        if extra:
            leaks[str(path.relative_to(ROOT))] = sorted(extra)[:3]
    assert leaks == {}, f"身份证号不得提交到仓库：{leaks}"


def test_the_national_platform_export_is_not_tracked():
    assert "platform-2026.csv" not in {p.name for p in tracked_files()}
