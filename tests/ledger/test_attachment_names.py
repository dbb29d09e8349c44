"""A long attachment name is cut to the column's 200 characters by its stem: the extension
stays, so the file still opens when downloaded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.ledger.test_records import PDF, _create, data_dir  # noqa: F401
from zeren.ledger.services import short_name


@pytest.mark.parametrize(
    "name, expected",
    [
        ("纪要.pdf", "纪要.pdf"),
        ("甲" * 196 + ".pdf", "甲" * 196 + ".pdf"),
        ("甲" * 197 + ".pdf", "甲" * 196 + ".pdf"),
        ("甲" * 300 + ".docx", "甲" * 195 + ".docx"),
        ("甲" * 300, "甲" * 200),
    ],
)
def test_short_name_keeps_the_extension(name, expected):
    assert short_name(name) == expected and len(short_name(name)) <= 200


def test_a_stored_record_keeps_the_extension_of_a_long_name(section_staff, data_dir):  # noqa: F811
    record = _create(section_staff, SimpleUploadedFile("会议纪要" * 80 + ".pdf", PDF))
    assert len(record.attachment_name) == 200 and record.attachment_name.endswith(".pdf")
