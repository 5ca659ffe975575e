from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from harapan.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("akun/", include("harapan.accounts.urls")),
    path("wilayah/", include("harapan.regions.urls")),
    path("kpm/", include("harapan.registry.urls")),
    path("pemutakhiran/", include("harapan.updates.urls")),
    path("impor/", include("harapan.imports.urls")),
    path("p2k2/", include("harapan.p2k2.urls")),
    path("kelompok/", include("harapan.groups.urls")),
    path("pertemuan/", include("harapan.meetings.urls")),
    path("produk/", include("harapan.products.urls")),
    path("manfaat/", include("harapan.benefits.urls")),
    path("bayar/", include("harapan.payroll.urls")),
    path("graduasi/", include("harapan.graduation.urls")),
    path("dasbor/", include("harapan.dashboards.urls")),
    path("diklat/", include("harapan.training.urls")),
    path("evaluasi/", include("harapan.alumni.urls")),
    path("pengaduan/", include("harapan.grievances.urls")),
    path("rujukan/", include("harapan.referrals.urls")),
    path("verifikasi/", include("harapan.compliance.urls")),
    path("laporan/", include("harapan.reports.urls")),
    path("api/", include("harapan.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
