from django.urls import path

from . import views

app_name = "p2k2"
urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("sesi/<int:pk>/", views.session_detail_view, name="session"),
    path("muatan-lokal/baru/", views.local_module_create_view, name="local_module_create"),
]
