from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.household_list_view, name="list"),
    path("<int:pk>/", views.household_detail_view, name="detail"),
    path("<int:pk>/status/", views.household_set_status_view, name="set_status"),
]
