from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config.security import ThrottledPasswordResetView

admin.site.site_header = "ระบบวิเคราะห์ผล ITA และแผนพัฒนา"
admin.site.site_title = "ITA อปท."
admin.site.index_title = "บันทึกข้อมูล"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before Django's own URLs so the throttled view answers under the same name.
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz/", include("config.health")),
    path("plans/", include("plans.urls")),
    path("public/", include("public.urls")),
    path("", include("documents.urls")),
    path("", include("ita.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
