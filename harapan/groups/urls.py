from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("", views.kelompok_list_view, name="list"),
    path("<int:pk>/", views.kelompok_detail_view, name="detail"),
    path("<int:pk>/pendamping/", views.kelompok_assign_view, name="assign"),
    path("<int:pk>/pindah-kpm/", views.kelompok_move_family_view, name="move_family"),
    path("beban/pendamping/<int:staff_id>/", views.caseload_pendamping_view, name="caseload_pendamping"),
    path("beban/<str:kecamatan_code>/", views.caseload_kecamatan_view, name="caseload_kecamatan"),
]
