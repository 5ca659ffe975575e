from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "harapan.api"
    label = "api"
