from django.urls import path

from . import views

app_name = "alumni"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("baru/", views.create_view, name="create"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/pertanyaan/", views.question_add_view, name="question_add"),
    path("<int:pk>/pertanyaan/baku/", views.questions_default_view, name="questions_default"),
    path("<int:pk>/pertanyaan/<int:question_pk>/hapus/", views.question_delete_view, name="question_delete"),
    path("<int:pk>/buka/", views.open_view, name="open"),
    path("<int:pk>/tutup/", views.close_view, name="close"),
    path("<int:pk>/pengingat/", views.remind_view, name="remind"),
    path("<int:pk>/laporan/", views.report_view, name="report"),
    path("<int:pk>/laporan.pdf", views.report_pdf_view, name="report_pdf"),
    path("<int:pk>/laporan.xlsx", views.report_xlsx_view, name="report_xlsx"),
    path("isi/<str:token>/", views.answer_view, name="answer"),
    path("isi/<str:token>/simpan/", views.answer_save_view, name="answer_save"),
]
