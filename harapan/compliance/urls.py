from django.urls import path

from .views import files, sanctions, sheet

app_name = "compliance"
urlpatterns = [
    path("", sheet.index_view, name="index"),
    path("bulan/<str:month>/", sheet.sheet_view, name="sheet"),
    path("kpm/<int:household_id>/<str:month>/", sheet.form_view, name="form"),
    path("impor/", files.upload_view, name="upload"),
    path("impor/<int:pk>/", files.run_detail_view, name="run_detail"),
    path("impor/<int:pk>/laporan.csv", files.report_csv_view, name="report_csv"),
    path("impor/<int:pk>/laporan.xlsx", files.report_xlsx_view, name="report_xlsx"),
    path("sekolah/", files.schools_view, name="schools"),
    path("sekolah/<str:npsn>/<int:year>/<int:quarter>.csv", files.verkom_export_view, name="verkom_export"),
    path("sanksi/", sanctions.sanction_list_view, name="sanctions"),
    path("sanksi/<int:pk>/", sanctions.sanction_detail_view, name="sanction_detail"),
    path("sanksi/<int:pk>/putuskan/", sanctions.sanction_decide_view, name="sanction_decide"),
    path("evaluasi/", sanctions.evaluation_view, name="evaluation"),
]
