from django.urls import path

from .views import checks, curriculum, progress

app_name = "p2k2"
urlpatterns = [
    path("", curriculum.catalogue_view, name="catalogue"),
    path("sesi/<int:pk>/", curriculum.session_detail_view, name="session"),
    path("sesi/<int:pk>/kelola/", curriculum.session_manage_view, name="session_manage"),
    path("sesi/<int:pk>/materi/<int:material_id>/hapus/", curriculum.material_remove_view, name="material_remove"),
    path("sesi/<int:pk>/pertanyaan/<int:question_id>/hapus/", curriculum.question_remove_view, name="question_remove"),
    path("muatan-lokal/baru/", curriculum.local_module_create_view, name="local_module_create"),
    path("pertemuan/<int:pk>/tes/", checks.knowledge_check_view, name="knowledge_check"),
    path("pertemuan/<int:pk>/tes/<int:household_id>/", checks.knowledge_answers_view, name="knowledge_answers"),
    path("kemajuan/kelompok/<int:pk>/", progress.kelompok_progress_view, name="progress_kelompok"),
    path("kemajuan/kpm/<int:household_id>/", progress.household_progress_view, name="progress_household"),
    path("kemajuan/wilayah/<str:code>/", progress.area_progress_view, name="progress_area"),
]
