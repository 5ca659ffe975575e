from django.urls import path

from .routes import api

urlpatterns = [path("v1/", api.urls)]
