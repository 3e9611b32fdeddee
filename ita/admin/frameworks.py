"""The framework admin's file tools: export a year's framework as XLSX, and import one with
a preview of every row it adds, changes or removes before anything is written.

Mixed into `ita.admin.FrameworkAdmin`. Frameworks are shared by every organisation.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from ita.bilingual import bilingual
from ita.frameworks.checks import ImportPlan
from ita.frameworks.files import FrameworkFileError, read_xlsx, write_xlsx
from ita.models import Framework
from ita.services.framework_import import framework_import, framework_import_plan, framework_spec

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 2 * 1024 * 1024  # a framework file is about 20 kB


def framework_filename(fiscal_year: int) -> str:
    return f"ita-framework-{fiscal_year}.xlsx"


class FrameworkFileForm(forms.Form):
    file = forms.FileField(label=_("framework file (XLSX)"))


class FrameworkConfirmForm(forms.Form):
    # The file travels back with the confirmation, so no copy of an upload is kept on disk;
    # it is read and checked again in full before the write.
    content = forms.CharField(widget=forms.HiddenInput)
    allow_replace = forms.BooleanField(
        label=_("Replace it anyway (I have checked the reasons above)"), required=False
    )


def _uploaded_bytes(upload: Any) -> bytes:
    try:
        if upload.size > MAX_BYTES:
            raise FrameworkFileError(
                [bilingual(gettext_noop("The file is larger than 2 MB: it is not a framework."))]
            )
        return upload.read()
    finally:
        upload.close()  # a temporary upload file is deleted when closed


class FrameworkFilesMixin:
    change_list_template = "admin/ita/framework/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"  # type: ignore[attr-defined]
        site = self.admin_site  # type: ignore[attr-defined]
        return [
            path(
                "<int:object_id>/export/",
                site.admin_view(self.export_file_view),
                name=f"{prefix}_export_file",
            ),
            path("import/", site.admin_view(self.import_file_view), name=f"{prefix}_import_file"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def export_file_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        framework = Framework.objects.filter(pk=object_id).first()
        if framework is None:
            raise Http404
        return HttpResponse(
            write_xlsx(framework_spec(framework)),
            content_type=XLSX_TYPE,
            headers={
                "Content-Disposition": content_disposition_header(
                    True, framework_filename(framework.fiscal_year)
                )
            },
        )

    def import_file_view(self, request: HttpRequest) -> HttpResponse:
        """Upload, then a preview of the changes; only the confirmation writes."""
        if not (
            self.has_add_permission(request)  # type: ignore[attr-defined]
            and self.has_change_permission(request)  # type: ignore[attr-defined]
        ):
            raise PermissionDenied
        upload_form, confirm, plan = FrameworkFileForm(), None, None
        errors: list[str] = []
        if request.method == "POST" and "content" in request.POST:
            confirm = FrameworkConfirmForm(request.POST)
            if confirm.is_valid():
                data = b""
                try:
                    data = base64.b64decode(confirm.cleaned_data["content"], validate=True)
                    plan = framework_import(
                        spec=read_xlsx(data), allow_replace=confirm.cleaned_data["allow_replace"]
                    )
                except FrameworkFileError as error:
                    errors = error.messages
                except binascii.Error:
                    errors = [bilingual(gettext_noop("The file was lost: upload it again."))]
                except ValidationError as error:
                    errors = error.messages
                else:
                    return self._imported(request, plan)
                plan = self._plan_or_none(data) if data else None
        elif request.method == "POST":
            upload_form = FrameworkFileForm(request.POST, request.FILES)
            if upload_form.is_valid():
                try:
                    data = _uploaded_bytes(upload_form.cleaned_data["file"])
                    plan = framework_import_plan(spec=read_xlsx(data))
                except FrameworkFileError as error:
                    errors = error.messages
                except ValidationError as error:
                    errors = error.messages
                else:
                    confirm = FrameworkConfirmForm(
                        initial={"content": base64.b64encode(data).decode("ascii")}
                    )
            elif "file" in request.FILES:
                request.FILES["file"].close()
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.opts,  # type: ignore[attr-defined]
            "title": gettext("Import a framework file"),
            "upload_form": upload_form,
            "confirm_form": confirm if plan is not None else None,
            "plan": plan,
            "file_errors": errors,
        }
        return TemplateResponse(request, "admin/ita/framework/import_file.html", context)

    def _plan_or_none(self, data: bytes) -> ImportPlan | None:
        """The preview again after a refused confirmation, when the file still reads."""
        try:
            return framework_import_plan(spec=read_xlsx(data))
        except (ValueError, ValidationError):
            return None

    def _imported(self, request: HttpRequest, plan: ImportPlan) -> HttpResponse:
        framework = Framework.objects.get(fiscal_year=plan.fiscal_year)
        LogEntry.objects.log_actions(
            request.user.pk,
            [framework],
            CHANGE if plan.replaces else ADDITION,
            change_message=gettext("Imported from a framework file."),
            single_object=True,
        )
        messages.success(
            request,
            gettext(
                "Fiscal year %(year)s's framework was imported: %(added)s row(s) added, "
                "%(changed)s changed, %(removed)s removed."
            )
            % {
                "year": plan.fiscal_year,
                "added": plan.count("added"),
                "changed": plan.count("changed"),
                "removed": plan.count("removed"),
            },
        )
        return HttpResponseRedirect(reverse("admin:ita_framework_change", args=[framework.pk]))
