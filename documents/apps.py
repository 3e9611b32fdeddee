from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Printed documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The plans app announces approvals; the signed PDF is this app's business.
        from documents.services import store_approved_plan
        from plans.signals import plan_approved

        plan_approved.connect(store_approved_plan, dispatch_uid="documents.store_approved_plan")
