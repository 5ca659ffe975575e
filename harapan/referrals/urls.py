from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("cakupan/", views.coverage_view, name="coverage"),
    path("program/", views.programmes_view, name="programmes"),
    path("program/baru/", views.programme_edit_view, name="programme_create"),
    path("program/<int:pk>/", views.programme_edit_view, name="programme_edit"),
    path("kpm/<int:household_pk>/", views.family_view, name="family"),
    path("kpm/<int:household_pk>/baru/", views.create_view, name="create"),
    path("kpm/<int:household_pk>/kepesertaan/", views.coverage_add_view, name="coverage_add"),
    path("kepesertaan/<int:pk>/akhiri/", views.coverage_end_view, name="coverage_end"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/terima/", views.accept_view, name="accept"),
    path("<int:pk>/selesai/", views.complete_view, name="complete"),
    path("<int:pk>/tolak/", views.reject_view, name="reject"),
]
