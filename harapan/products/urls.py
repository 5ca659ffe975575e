from django.urls import path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.product_list_view, name="list"),
    path("baru/", views.product_create_view, name="create"),
    path("<int:pk>/", views.product_detail_view, name="detail"),
    path("<int:pk>/penjualan/", views.sale_add_view, name="sale_add"),
    path("<int:pk>/foto/", views.photo_add_view, name="photo_add"),
    path("<int:pk>/pembuat/", views.maker_add_view, name="maker_add"),
    path("katalog/<str:code>.xlsx", views.catalogue_xlsx_view, name="catalogue_xlsx"),
    path("katalog/<str:code>.csv", views.catalogue_csv_view, name="catalogue_csv"),
    path("katalog/<str:code>/", views.catalogue_view, name="catalogue"),
]
