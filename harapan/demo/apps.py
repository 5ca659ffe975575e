from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "harapan.demo"
    label = "demo"
