"""Files built to hurt the server or the data: each is refused quickly with bounded memory
and a plain message, or (a wrong stored dimension) read in full; no upload stays on disk."""

from __future__ import annotations

import io
import logging
import os
import tempfile
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import ita.resources
from ita.models import Assessment, IndicatorResult, QuestionScore
from ita.sheets import SheetFileError, read_csv, read_xlsx, write_csv, write_xlsx
from ita.sheets.cells import MAX_ROWS
from tests.badinput.corpus import (
    _csv,
    _csv_with_text,
    _table,
    confirm_data,
    good_rows,
    with_dimension,
    zip_bomb,
)

IMPORT_URL = "admin:ita_assessment_import"
CONFIRM_URL = "admin:ita_assessment_process_import"
CSV_FORMAT, XLSX_FORMAT = "1", "0"


@pytest.fixture(autouse=True)
def plain_static(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def temp_dir(tmp_path, monkeypatch, settings):
    """Every temporary file of this process (Django's uploads, django-import-export's
    previews) goes to an empty directory of the test's own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


def upload(client, name: str, data: bytes, file_format: str):
    client.cookies["django_language"] = "en"
    return client.post(
        reverse(IMPORT_URL),
        {"format": file_format, "import_file": SimpleUploadedFile(name, data)},
    )


# --- the sheet's stored dimension ----------------------------------------------------------


@pytest.mark.django_db
def test_read_xlsx_reads_every_row_whatever_the_stored_dimension_says():
    rows = good_rows()
    data = with_dimension(write_xlsx([("2568", rows)]), "A1:G4")

    (table,) = read_xlsx(data)

    assert len(table.rows) == len(rows)
    assert table.rows[-1][0] == rows[-1]["kind"]


def test_read_xlsx_row_guard_counts_rows_the_dimension_hides():
    extra = [{"kind": "note", "text": str(n)} for n in range(MAX_ROWS + 1)]
    data = with_dimension(write_xlsx([("2568", extra)]), "A1:G3")

    with pytest.raises(SheetFileError, match="more than 5000 rows"):
        read_xlsx(data)


@pytest.mark.django_db
def test_import_of_a_sheet_with_an_under_reported_dimension_keeps_every_row(admin_client, temp_dir):
    data = with_dimension(write_xlsx([("2568", good_rows())]), "A1:G4")
    preview = upload(admin_client, "khp.xlsx", data, XLSX_FORMAT)

    admin_client.post(reverse(CONFIRM_URL), confirm_data(preview))

    assessment = Assessment.objects.get()
    assert IndicatorResult.objects.filter(assessment=assessment).count() == 10
    assert QuestionScore.objects.filter(assessment=assessment).count() == 33


# --- zip bombs and oversized files ---------------------------------------------------------


def test_read_xlsx_refuses_a_zip_bomb_within_a_second_and_a_few_megabytes():
    data = zip_bomb()  # 1 GB of zeros in about 1 MB
    tracemalloc.start()
    started = time.perf_counter()

    with pytest.raises(SheetFileError, match="unpacks to more than 20 MB"):
        read_xlsx(data)

    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1
    assert peak < 5_000_000


def test_read_xlsx_refuses_an_archive_whose_directory_lies_about_a_size():
    """The directory says 1 kB; zipfile stops there and the CRC no longer matches."""
    data = bytearray(zip_bomb(50_000_000))
    directory = data.rfind(b"PK\x01\x02")  # the sheet is the last entry in the directory
    data[directory + 24 : directory + 28] = (1000).to_bytes(4, "little")

    with pytest.raises(SheetFileError, match="not an XLSX workbook"):
        read_xlsx(bytes(data))


def test_read_csv_refuses_a_file_over_the_size_limit_before_decoding_it():
    data = b"kind,code\r\n" + b"note,1\r\n" * 8_000_000  # 64 MB

    started = time.perf_counter()
    with pytest.raises(SheetFileError, match="larger than 2 MB"):
        read_csv(data)

    assert time.perf_counter() - started < 0.1


@pytest.mark.django_db
def test_import_results_command_reads_no_more_than_the_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"kind,code\r\n" + b"note,1\r\n" * 1_000_000)
    read_sizes: list[int] = []
    real_read = ita.sheets.files.read_csv

    def spy(data: bytes, title: str = ""):
        read_sizes.append(len(data))
        return real_read(data, title)

    monkeypatch.setattr(ita.sheets.files, "read_csv", spy)

    with pytest.raises(CommandError, match="larger than 2 MB"):
        call_command("import_results", str(path))

    assert read_sizes == []  # refused before any parsing


@pytest.mark.django_db
def test_admin_import_refuses_an_oversized_upload_from_its_size(admin_client, temp_dir):
    data = _csv(_table(good_rows())) + b",,,,,,\r\n" * 400_000

    response = upload(admin_client, "big.csv", data, CSV_FORMAT)

    assert "larger than 2 MB" in str(response.context["form"].errors["import_file"])
    assert Assessment.objects.count() == 0


# --- control characters and unexpected errors ---------------------------------------------


def test_read_csv_names_the_row_and_cell_of_a_nul_byte():
    with pytest.raises(SheetFileError) as refused:
        read_csv(b"kind,code,text\r\nnote,,ok\r\nnote,,bad\0text\r\n")

    assert "Row 3, cell C3 holds a control character (U+0000)" in str(refused.value)
    assert " / " in str(refused.value)  # Thai, then English


def test_read_csv_keeps_tabs_and_line_breaks_in_a_cell():
    table = read_csv(b'kind,code,text\r\nnote,,"two\tparts\r\nand a line"\r\n')

    assert table is not None
    assert table.rows[0][2] == "two\tparts\r\nand a line"


@pytest.mark.django_db
def test_admin_import_of_a_nul_byte_names_the_cell_and_shows_no_traceback(admin_client, settings):
    settings.DEBUG = False
    data = _csv_with_text("\0")()

    response = upload(admin_client, "nul.csv", data, CSV_FORMAT)

    content = response.content.decode()
    assert "Row 13, cell G13 holds a control character (U+0000)" in content
    assert "Traceback" not in content
    assert Assessment.objects.count() == 0


@pytest.mark.django_db
def test_admin_import_logs_an_unexpected_error_and_shows_a_plain_refusal(
    admin_client, settings, monkeypatch, caplog
):
    settings.DEBUG = False

    def broken(**kwargs):
        raise RuntimeError("database said no in /srv/app/ita/services.py")

    monkeypatch.setattr(ita.resources, "results_import", broken)

    with caplog.at_level(logging.ERROR, logger="ita.admin.sheets"):
        response = upload(admin_client, "khp.csv", write_csv(good_rows()), CSV_FORMAT)

    content = response.content.decode()
    assert "could not be imported because of an unexpected error" in content
    assert "Traceback" not in content and "/srv/app" not in content
    assert 'name="confirm"' not in content
    assert any("/srv/app/ita/services.py" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_admin_import_of_an_unreadable_file_logs_the_error_and_says_so_plainly(
    admin_client, monkeypatch, caplog
):
    def broken(self, in_stream):
        raise TypeError("reader broke in /srv/app/ita/sheets/files.py")

    monkeypatch.setattr(ita.resources.SheetCSV, "create_dataset", broken)

    with caplog.at_level(logging.ERROR, logger="ita.admin.sheets"):
        response = upload(admin_client, "khp.csv", write_csv(good_rows()), CSV_FORMAT)

    shown = str(response.context["form"].errors["import_file"])
    assert "The file could not be read: nothing was saved." in shown
    assert "TypeError" not in shown
    assert any(r.exc_info and r.exc_info[0] is TypeError for r in caplog.records)


def test_read_xlsx_turns_an_unforeseen_reader_error_into_a_refusal(monkeypatch, caplog):
    import openpyxl.reader.excel

    def broken(*args, **kwargs):
        raise TypeError("unexpected element in /usr/lib/python3/openpyxl")

    monkeypatch.setattr(openpyxl.reader.excel, "ExcelReader", broken)

    with (
        caplog.at_level(logging.ERROR, logger="ita.sheets.files"),
        pytest.raises(SheetFileError, match="not an XLSX workbook that can be read"),
    ):
        read_xlsx(write_xlsx([("a", [])]))

    assert any(r.exc_info and r.exc_info[0] is TypeError for r in caplog.records)


# --- temporary files and the preview -------------------------------------------------------


@pytest.mark.django_db
def test_admin_import_leaves_no_file_after_accepted_refused_and_abandoned_imports(
    admin_client, temp_dir
):
    good = write_xlsx([("2568", good_rows())])
    accepted = upload(admin_client, "khp.xlsx", good, XLSX_FORMAT)
    admin_client.post(reverse(CONFIRM_URL), confirm_data(accepted))
    upload(admin_client, "nul.csv", _csv_with_text("\0")(), CSV_FORMAT)  # refused
    upload(admin_client, "bomb.xlsx", zip_bomb(), XLSX_FORMAT)  # refused
    upload(admin_client, "khp.csv", write_csv(good_rows()), CSV_FORMAT)  # abandoned preview
    big = good + b"\0" * 6 * 1024 * 1024  # over Django's in-memory upload limit: on disk
    upload(admin_client, "big.xlsx", big, XLSX_FORMAT)

    assert Assessment.objects.count() == 1
    assert os.listdir(temp_dir) == []


@pytest.mark.django_db
def test_admin_import_preview_says_how_many_rows_and_sheets_were_read(admin_client):
    rows = good_rows()

    response = upload(admin_client, "khp.csv", write_csv(rows), CSV_FORMAT)

    assert f"Read {len(rows)} rows below the column names, from 1 sheet." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_admin_import_confirms_a_file_just_under_the_size_limit(admin_client):
    """The preview's file travels in the confirm form: the largest file allowed must fit
    in a request, incompressible content (a picture, say) included."""
    good = write_xlsx([("2568", good_rows())])
    with zipfile.ZipFile(io.BytesIO(good)) as source, io.BytesIO() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry in source.infolist():
                archive.writestr(entry, source.read(entry))
            archive.writestr("xl/media/image1.png", os.urandom(1_900_000))
        data = buffer.getvalue()
    assert 1_900_000 < len(data) < 2_000_000
    preview = upload(admin_client, "photo.xlsx", data, XLSX_FORMAT)

    admin_client.post(reverse(CONFIRM_URL), confirm_data(preview))

    assert QuestionScore.objects.filter(assessment=Assessment.objects.get()).count() == 33


@pytest.mark.django_db
def test_admin_import_refuses_an_altered_confirmation_and_saves_nothing(admin_client):
    preview = upload(admin_client, "khp.csv", write_csv(good_rows()), CSV_FORMAT)
    altered = {**confirm_data(preview)}
    altered["import_file_name"] = altered["import_file_name"][:-3] + "xyz"

    response = admin_client.post(reverse(CONFIRM_URL), altered, follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert response.redirect_chain[0][0] == reverse(IMPORT_URL)
    assert any("expired or was altered" in m for m in shown)
    assert Assessment.objects.count() == 0


@pytest.mark.django_db
def test_import_results_command_says_how_many_rows_and_sheets_it_read(tmp_path, capsys):
    rows = good_rows()
    path = tmp_path / "khp.xlsx"
    path.write_bytes(write_xlsx([("a", rows)]))

    call_command("import_results", str(path), "--dry-run")

    assert f"Read {len(rows)} rows from 1 sheet." in capsys.readouterr().out
