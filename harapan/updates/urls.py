from django.urls import path

from . import views

app_name = "updates"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("kpm/<int:household_pk>/baru/", views.choose_kind_view, name="choose"),
    path("kpm/<int:household_pk>/baru/<str:kind>/", views.submit_view, name="submit"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/putuskan/", views.decide_view, name="decide"),
    path("<int:pk>/batalkan/", views.cancel_view, name="cancel"),
    path("bukti/<int:pk>/", views.evidence_view, name="evidence"),
]
