from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list_view, name="list"),
    path("<int:pk>/absen/", views.attendance_view, name="attendance"),
    path("<int:pk>/daftar-hadir/", views.attendance_sheet_view, name="sheet"),
    path("<int:pk>/daftar-hadir.xlsx", views.attendance_sheet_xlsx_view, name="sheet_xlsx"),
    path("<int:pk>/ubah/", views.meeting_edit_view, name="edit"),
    path("<int:pk>/batal/", views.meeting_cancel_view, name="cancel"),
    path("kelompok/<int:pk>/<int:year>/", views.kelompok_plan_view, name="plan"),
    path("kelompok/<int:pk>/<int:year>/rencanakan/", views.kelompok_plan_generate_view, name="plan_generate"),
    path("bulan/", views.month_start_view, name="month_start"),
    path("bulan/<int:staff_id>/<int:year>/<int:month>/", views.pendamping_month_view, name="month"),
    path("tempat/", views.venue_list_view, name="venues"),
    path("tempat/baru/", views.venue_create_view, name="venue_create"),
    path("tempat/<int:pk>/ubah/", views.venue_edit_view, name="venue_edit"),
]
