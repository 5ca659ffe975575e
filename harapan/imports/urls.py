from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload_view, name="upload"),
    path("<int:pk>/", views.run_detail_view, name="detail"),
    path("<int:pk>/laporan.csv", views.report_csv_view, name="report_csv"),
    path("<int:pk>/laporan.xlsx", views.report_xlsx_view, name="report_xlsx"),
    path("templat.xlsx", views.template_view, name="template"),
    path("ekspor.xlsx", views.export_xlsx_view, name="export_xlsx"),
    path("ekspor.zip", views.export_csv_view, name="export_csv"),
]
