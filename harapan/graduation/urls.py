from django.urls import path

from . import views

app_name = "graduation"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("capaian/", views.progress_view, name="progress"),
    path("indikator/", views.indicators_view, name="indicators"),
    path("kpm/<int:household_pk>/", views.family_view, name="family"),
    path("kpm/<int:household_pk>/penilaian/", views.assessment_view, name="assess"),
    path("kpm/<int:household_pk>/usulkan/", views.propose_view, name="propose"),
    path("usulan/<int:pk>/", views.proposal_view, name="proposal"),
    path("usulan/<int:pk>/surat.pdf", views.statement_view, name="statement"),
    path("usulan/<int:pk>/unggah/", views.upload_view, name="upload"),
    path("usulan/<int:pk>/pindaian/", views.scan_view, name="scan"),
    path("usulan/<int:pk>/putuskan/", views.decide_view, name="decide"),
    path("usulan/<int:pk>/batalkan/", views.cancel_view, name="cancel"),
]
