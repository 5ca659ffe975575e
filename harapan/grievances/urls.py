from django.urls import path

from . import views

app_name = "grievances"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("baru/", views.new_view, name="new"),
    path("unduh.xlsx", views.export_view, name="export"),
    path("kategori/", views.categories_view, name="categories"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/<slug:step>/", views.step_view, name="step"),
]
