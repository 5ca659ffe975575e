from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("program/baru/", views.programme_create_view, name="programme_create"),
    path("program/<int:pk>/", views.programme_view, name="programme"),
    path("sesi/<int:pk>/", views.session_bank_view, name="session_bank"),
    path("soal/<int:pk>/nonaktifkan/", views.question_deactivate_view, name="question_deactivate"),
    path("materi/<int:pk>/", views.material_view, name="material"),
    path("angkatan/baru/", views.cohort_create_view, name="cohort_create"),
    path("angkatan/<int:pk>/", views.cohort_view, name="cohort"),
    path("angkatan/<int:pk>/kuota/", views.quota_view, name="quota"),
    path("angkatan/<int:pk>/nominasi/", views.nominate_view, name="nominate"),
    path("angkatan/<int:pk>/mulai/", views.cohort_start_view, name="cohort_start"),
    path("angkatan/<int:pk>/selesaikan/", views.cohort_finish_view, name="cohort_finish"),
    path("angkatan/<int:pk>/hasil/", views.results_view, name="results"),
    path("angkatan/<int:pk>/hasil.xlsx", views.results_xlsx_view, name="results_xlsx"),
    path("angkatan/<int:pk>/forum/", views.forum_view, name="forum"),
    path("angkatan/<int:pk>/topik/", views.topic_view, name="topic"),
    path("angkatan/<int:pk>/langsung/", views.live_view, name="live"),
    path("langsung/<int:pk>/kehadiran/", views.attendance_view, name="attendance"),
    path("tulisan/<int:pk>/nilai/", views.grade_view, name="grade"),
    path("topik/<int:pk>/tanggapi/", views.facilitator_post_view, name="facilitator_post"),
    path("partisipasi/<int:pk>/putuskan/", views.decide_view, name="decide"),
    path("belajar/<int:participant_pk>/", views.learn_view, name="learn"),
    path("belajar/<int:participant_pk>/sesi/<int:session_pk>/", views.session_view, name="session"),
    path("belajar/<int:participant_pk>/sesi/<int:session_pk>/forum/", views.post_view, name="post"),
    path("belajar/<int:participant_pk>/sesi/<int:session_pk>/tes/<str:phase>/", views.test_view, name="test"),
    path("tes/<int:pk>/jawab/", views.answer_view, name="answer"),
    path("tes/<int:pk>/kirim/", views.submit_view, name="submit"),
    path("peserta/<int:staff_id>/", views.profile_view, name="profile"),
    path("sertifikat/<int:pk>.pdf", views.certificate_view, name="certificate"),
]
