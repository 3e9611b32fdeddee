"""The Assessment changelist's spreadsheet tools: import with preview and confirm, a blank
sheet for a chosen year, and export of selected assessments (layout:
docs/spreadsheet-layout.md). Mixed into `ita.admin.AssessmentAdmin`.
"""

from __future__ import annotations

import base64
import io
import logging
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.signing import BadSignature, TimestampSigner
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.forms import ImportForm
from import_export.results import Result
from import_export.signals import post_import
from import_export.tmp_storages import BaseStorage

from ita.bilingual import bilingual
from ita.forms import CheckRow, check_rows, entry_layout
from ita.models import Assessment, Framework
from ita.queries import framework_lookup
from ita.resources import AssessmentSheetResource, SheetCSV, SheetImportResult, SheetXLSX
from ita.services.results_import import ImportOutcome
from ita.sheets import SheetFileError, write_csv, write_xlsx
from ita.sheets.cells import COLUMNS, MAX_FILE_BYTES
from ita.sheets.diff import Change, change_label
from ita.sheets.export import (
    assessment_filename,
    assessments_for_export,
    export_csv,
    export_xlsx,
    framework_for_template,
    template_rows,
)
from ita.sheets.files import file_too_big
from ita.sheets.vocabulary import THAI_CHANNELS, thai_headers, thai_rows

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": "text/csv; charset=utf-8", "zip": "application/zip"}


def download(content: bytes, filename: str) -> HttpResponse:
    extension = filename.rsplit(".", 1)[-1]
    return HttpResponse(
        content,
        content_type=CONTENT_TYPES[extension],
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


class SheetTemplateForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("fiscal year (B.E.)"), coerce=int)
    file_format = forms.ChoiceField(
        label=_("file format"), choices=[("xlsx", "XLSX (Excel)"), ("csv", "CSV (UTF-8)")]
    )
    language = forms.ChoiceField(
        label=_("column names and keys"),
        choices=[
            ("th", _("Thai (ประเภท, รหัส, คะแนน …)")),
            # Named, not quoted: the English keys are the users' alternative, not Thai text.
            ("en", _("English column names and keys")),
        ],
        initial="th",
        required=False,
        help_text=_("The import reads either."),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [(y, y) for y in years]


class SignedUploadStorage(BaseStorage):
    """The preview's upload travels in the confirm form, compressed and signed, instead of
    waiting in a temporary file.

    django-import-export keeps every previewed upload on disk until it is confirmed, so a
    refused or abandoned preview stayed there for good. Here the storage's name is the
    file itself: nothing is written anywhere, and an altered or stale confirmation is
    refused by the signature.
    """

    salt = "ita.admin.sheets.upload"
    max_age = 3600  # seconds a preview can be confirmed

    def save(self, data: bytes) -> None:
        packed = base64.urlsafe_b64encode(zlib.compress(data)).decode("ascii")
        self.name = TimestampSigner(salt=self.salt).sign(packed)

    def read(self) -> bytes:
        try:
            packed = TimestampSigner(salt=self.salt).unsign(self.name or "", max_age=self.max_age)
            # Signed by us, so never a zlib bomb; bounded all the same.
            data = zlib.decompressobj().decompress(
                base64.urlsafe_b64decode(packed), MAX_FILE_BYTES + 1
            )
        except (BadSignature, ValueError, zlib.error) as exc:
            raise SheetFileError(
                bilingual(
                    gettext_noop("This preview has expired or was altered: upload the file again.")
                )
            ) from exc
        return data

    def remove(self) -> None:
        """Nothing was stored."""


class SheetImportForm(ImportForm):
    """django-import-export's upload form, refusing an oversized file before it is read."""

    def clean_import_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["import_file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise ValidationError(str(file_too_big()))
        return upload


def log_unexpected_errors(result: Result | None) -> None:
    """Errors django-import-export caught (it would show their traceback): logged here,
    shown to the user as one plain sentence by the import template."""
    if result is None:
        return
    for error in result.base_errors:
        logger.error("Results sheet import failed: %s\n%s", error.error, error.traceback)
    for number, errors in result.row_errors():
        for error in errors:
            logger.error(
                "Results sheet import failed in row %s: %s\n%s",
                number,
                error.error,
                error.traceback,
            )


@dataclass(frozen=True)
class ImportPreview:
    """One sheet's preview: the outcome of the dry run and its checks, as the page shows
    them."""

    outcome: ImportOutcome
    checks: list[CheckRow]

    @property
    def all_new(self) -> bool:
        """A first import of this year: every value is new, nothing is replaced."""
        diff = self.outcome.diff
        return bool(diff and not (diff.changed or diff.removed or diff.unchanged))

    @property
    def changes(self) -> list[dict[str, str]]:
        return [
            {
                "what": change.what,
                "shown": change_subject(change),
                "change": change.change.value,
                "label": change_label(change.change),
                "old": change.old,
                "new": change.new,
            }
            for change in self.outcome.changes
        ]


def change_subject(change: Change) -> str:
    """ "ตัวชี้วัด 1", "ข้อคำถาม e1 (ช่องทางออนไลน์)": what a change is about, for people."""
    kinds = {
        "overall": gettext("overall score"),
        "level": gettext("level"),
        "tool": gettext("tool"),
        "indicator": gettext("indicator"),
        "question": gettext("question"),
        "item": gettext("OIT item"),
    }
    channel = change.channel
    if channel and (get_language() or "").startswith("th"):
        channel = THAI_CHANNELS.get(channel, channel)
    return " ".join(
        p
        for p in (kinds.get(change.kind, change.kind), change.code, channel and f"({channel})")
        if p
    )


def preview_of(outcome: ImportOutcome) -> ImportPreview:
    checks: list[CheckRow] = []
    if outcome.scores is not None:
        layout = entry_layout(framework_lookup(outcome.assessment.framework))
        checks = check_rows(layout, outcome.scores)
    return ImportPreview(outcome, checks)


class AssessmentSheetsMixin(ImportMixin):
    resource_classes = [AssessmentSheetResource]
    import_form_class = SheetImportForm
    tmp_storage_class = SignedUploadStorage
    import_formats = [SheetXLSX, SheetCSV]
    import_template_name = "admin/ita/assessment/import.html"
    import_export_change_list_template = "admin/ita/assessment/change_list_sheets.html"

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import creates and replaces assessments: the same rights as the admin's forms.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_sheet_template"
        view = self.admin_site.admin_view(self.sheet_template_view)
        return [path("sheet-template/", view, name=name), *super().get_urls()]

    def sheet_template_view(self, request: HttpRequest) -> HttpResponse:
        """A blank results sheet of a chosen year: every code with its label, no scores."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        years = list(
            Framework.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)
        )
        form = SheetTemplateForm(request.GET or None, years=years)
        if form.is_valid():
            year, file_format = form.cleaned_data["fiscal_year"], form.cleaned_data["file_format"]
            rows = template_rows(framework_for_template(year))
            headers: list[str] = list(COLUMNS)
            if form.cleaned_data.get("language", "th") != "en":  # Thai unless English is asked
                rows, headers = thai_rows(rows), thai_headers(COLUMNS)
            content = (
                write_xlsx([(str(year), rows)], headers)
                if file_format == "xlsx"
                else write_csv(rows, headers)
            )
            return download(content, f"ita-{year}-template.{file_format}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": gettext("Blank results sheet"),
        }
        return TemplateResponse(request, "admin/ita/assessment/sheet_template.html", context)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if actions is not None and self.has_view_permission(request):
            for name in ("export_sheets_xlsx", "export_sheets_csv"):
                actions[name] = self.get_action(name)
        return actions

    @admin.action(description=_("Export selected as results sheets (XLSX)"))
    def export_sheets_xlsx(
        self, request: HttpRequest, queryset: QuerySet[Assessment]
    ) -> HttpResponse:
        assessments = list(assessments_for_export(queryset))
        name = assessment_filename(assessments[0], "xlsx") if len(assessments) == 1 else None
        return download(export_xlsx(assessments), name or "ita-results.xlsx")

    @admin.action(description=_("Export selected as results sheets (CSV; several in a ZIP)"))
    def export_sheets_csv(
        self, request: HttpRequest, queryset: QuerySet[Assessment]
    ) -> HttpResponse:
        assessments = list(assessments_for_export(queryset))
        if len(assessments) == 1:
            return download(export_csv(assessments[0]), assessment_filename(assessments[0], "csv"))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for assessment in assessments:
                archive.writestr(assessment_filename(assessment, "csv"), export_csv(assessment))
        return download(buffer.getvalue(), "ita-results.zip")

    def add_data_read_fail_error_to_form(self, form: forms.Form, e: Exception) -> None:
        if not isinstance(e, SheetFileError):
            logger.error("Results sheet upload could not be read", exc_info=e)
            e = SheetFileError(
                bilingual(gettext_noop("The file could not be read: nothing was saved."))
            )
        form.add_error("import_file", str(e))

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        # "This importer will import the following fields": the Thai headers the blank
        # sheet writes (the page says the English ones are read too).
        context["fields_list"] = [
            (name, thai_headers(fields)) for name, fields in context.get("fields_list", [])
        ]
        result = context.get("result")
        log_unexpected_errors(result)
        if result is not None and getattr(result, "outcomes", None):
            context["ita_previews"] = [preview_of(outcome) for outcome in result.outcomes]
        return response

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        """The preview's ticks travel with the confirm: only ticked new organisations may
        be created (`results_import`'s `new_organisations`)."""
        request = kwargs.get("request")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if request is not None:
            kwargs["new_organisations"] = request.POST.getlist("create_organisation")
        return kwargs

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Confirm; a stale or altered preview, or a file that no longer reads, goes back
        to the upload form with the reason."""
        try:
            return super().process_import(request, **kwargs)
        except SheetFileError as exc:
            messages.error(request, str(exc))
            messages.error(request, gettext("Nothing was imported."))
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            )

    def process_result(self, result: SheetImportResult, request: HttpRequest) -> HttpResponse:
        """After confirm: log and open the imported assessment, or say why nothing changed."""
        if result.has_errors() or result.has_validation_errors() or not result.outcomes:
            log_unexpected_errors(result)
            for error in result.sheet_errors:
                messages.error(request, str(error))
            messages.error(request, gettext("Nothing was imported."))
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            )
        outcome = result.outcomes[0]
        LogEntry.objects.log_actions(
            request.user.pk,
            [outcome.assessment],
            ADDITION if outcome.created else CHANGE,
            change_message=gettext("Imported from a results sheet."),
            single_object=True,
        )
        messages.success(request, outcome.summary())
        post_import.send(sender=None, model=self.model)
        # Back to the entry screen, to check what was saved (the model's own URL is its
        # analysis page, the admin's "view on site").
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[outcome.assessment.pk],
            )
        )
