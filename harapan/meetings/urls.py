from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list_view, name="list"),
    path("<int:pk>/absen/", views.attendance_view, name="attendance"),
]
