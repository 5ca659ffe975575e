from django.urls import path, re_path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.region_index_view, name="index"),
    path("cari/", views.region_search_view, name="search"),
    re_path(r"^(?P<code>[0-9]{2}(?:\.[0-9]{2}){0,2}(?:\.[0-9]{4})?)/$", views.region_detail_view, name="detail"),
]
