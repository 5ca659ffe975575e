from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("wilayah/", views.area_view, name="area_root"),
    path("wilayah/<str:code>/", views.area_view, name="area"),
    path("bulanan/<int:staff_id>/", views.monthly_default_view, name="monthly_default"),
    path("bulanan/<int:staff_id>/<int:year>/<int:month>/", views.monthly_view, name="monthly"),
    path("bulanan/<int:staff_id>/<int:year>/<int:month>/laporan.pdf", views.monthly_pdf_view, name="monthly_pdf"),
    path("bulanan/<int:staff_id>/<int:year>/<int:month>/laporan.xlsx", views.monthly_xlsx_view, name="monthly_xlsx"),
    path("profil/", views.profile_index_view, name="profile_index"),
    path("profil/<str:code>/", views.profile_view, name="profile"),
    path("profil/<str:code>/profil.pdf", views.profile_pdf_view, name="profile_pdf"),
    path("profil/<str:code>/profil.xlsx", views.profile_xlsx_view, name="profile_xlsx"),
]
