from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "harapan.imports"
    label = "imports"
