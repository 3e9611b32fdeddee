"""A worker gives memory back after building a document itself (documents.memory), and the PDF
font configuration is released at exit (documents.exports.pdf)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest

from documents import memory, rendered
from documents.exports import children
from documents.rendered import DocumentKey

ROOT = Path(__file__).resolve().parents[2]
KEY = DocumentKey(slot="memory-test/pdf", version="v1", suffix="pdf")


@pytest.fixture
def built_here(settings):
    settings.DOCUMENTS_RELEASE_MEMORY = True
    settings.DOCUMENTS_BUILD_APART = False


def test_a_build_in_the_worker_is_followed_by_a_trim(built_here):
    trim = mock.Mock(return_value=1)
    with mock.patch.object(memory, "_malloc_trim", return_value=trim):
        assert children.in_child(lambda: b"%PDF fresh") == b"%PDF fresh"
    assert trim.call_args_list == [mock.call(0)]


def test_a_build_in_a_child_leaves_the_worker_nothing_to_trim(settings):
    settings.DOCUMENTS_RELEASE_MEMORY = True
    trim = mock.Mock(return_value=1)
    with mock.patch.object(memory, "_malloc_trim", return_value=trim):
        assert children.in_child(lambda: b"%PDF fresh") == b"%PDF fresh"
    trim.assert_not_called()


def test_a_failed_build_still_frees_its_memory(built_here, settings, tmp_path):
    settings.DOCUMENTS_CACHE_ROOT = tmp_path / "rendered"
    trim = mock.Mock(return_value=1)

    def broken() -> bytes:
        raise RuntimeError("layout failed")

    with (
        mock.patch.object(memory, "_malloc_trim", return_value=trim),
        pytest.raises(RuntimeError),
    ):
        rendered.rendered(KEY, lambda: children.in_child(broken))
    assert trim.call_count == 1
    assert not rendered.is_stored(KEY)


def test_the_release_can_be_switched_off_for_the_benchmark_reference(settings):
    settings.DOCUMENTS_RELEASE_MEMORY = False
    trim = mock.Mock(return_value=1)
    with mock.patch.object(memory, "_malloc_trim", return_value=trim):
        assert memory.release() is False
    trim.assert_not_called()


def test_without_a_c_library_trim_the_release_only_collects(settings):
    settings.DOCUMENTS_RELEASE_MEMORY = True
    with mock.patch.object(memory, "_malloc_trim", return_value=None):
        assert memory.release() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc on Linux")
def test_glibc_trim_is_found_on_linux():
    memory._malloc_trim.cache_clear()
    assert memory._malloc_trim() is not None


CHILD = """
import django
django.setup()
from documents.exports import pdf
assert pdf.render_pdf("<p>สวัสดี</p>").startswith(b"%PDF")
print(pdf._document_styles()[1]._folder)
"""


def test_a_process_that_printed_a_pdf_exits_cleanly_and_leaves_no_font_folder(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'child.sqlite3'}",
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert child.returncode == 0, child.stderr
    folder = Path(child.stdout.strip().splitlines()[-1])
    assert folder.name.startswith("weasyprint-")
    assert not folder.exists()  # removed at exit, not left in the temporary directory
    assert "Exception ignored" not in child.stderr


def test_printed_charts_live_in_their_own_small_cache(settings):
    from django.core.cache import caches

    from documents.exports.pdf import printed_chart
    from ita import charts

    pytest.importorskip("uharfbuzz")
    svg = charts.horizontal_bar_chart(["1. การปฏิบัติหน้าที่"], [Decimal("98.07")], title="t")
    printed_chart(svg)
    assert len(caches["print-charts"]._cache) == 1  # local memory in tests
    assert len(caches["figures"]._cache) == 0  # the year figures' 3,000 slots stay theirs
    options = settings.CACHES["print-charts"]["OPTIONS"]
    assert options["MAX_ENTRIES"] < settings.CACHES["figures"]["OPTIONS"]["MAX_ENTRIES"]
