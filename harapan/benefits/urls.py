from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("indeks/", views.index_list_view, name="index_list"),
    path("indeks/baru/", views.index_create_view, name="index_create"),
    path("indeks/<int:pk>/ubah/", views.index_update_view, name="index_update"),
    path("daerah-sulit/", views.hard_to_reach_add_view, name="hard_to_reach_add"),
    path("daerah-sulit/<int:pk>/akhiri/", views.hard_to_reach_end_view, name="hard_to_reach_end"),
    path("hitung/<int:household_id>/", views.entitlement_view, name="entitlement"),
]
