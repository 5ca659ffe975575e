from django.urls import path

from . import views

app_name = "payroll"
urlpatterns = [
    path("", views.tahap_list_view, name="list"),
    path("<int:pk>/", views.tahap_detail_view, name="detail"),
    path("<int:pk>/hitung/", views.tahap_compute_view, name="compute"),
    path("<int:pk>/setujui/", views.tahap_approve_view, name="approve"),
    path("<int:pk>/terbitkan/", views.tahap_issue_view, name="issue"),
    path("<int:pk>/batalkan/", views.tahap_cancel_view, name="cancel"),
    path("<int:pk>/berkas/<str:bank>/<str:kind>-kontrol.csv", views.control_file_view, name="control"),
    path("<int:pk>/berkas/<str:bank>/<str:kind>.<str:ext>", views.recipient_file_view, name="file"),
    path("<int:pk>/rekap-<str:level>.csv", views.region_totals_file_view, name="region_totals"),
    path("<int:pk>/hasil/", views.result_upload_view, name="result_upload"),
    path("<int:pk>/rekonsiliasi/", views.reconciliation_view, name="reconciliation"),
    path("hasil/<int:pk>/", views.result_detail_view, name="result"),
    path("dana-sharing/", views.dana_sharing_view, name="dana_sharing"),
]
