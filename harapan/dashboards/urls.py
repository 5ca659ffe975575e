from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.own_view, name="own"),
    path("wilayah/", views.national_view, name="national"),
    path("wilayah/<str:code>/", views.region_view, name="region"),
    path("pendamping/<int:pk>/", views.pendamping_view, name="pendamping"),
]
