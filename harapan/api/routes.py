"""The JSON API (django-ninja); its OpenAPI schema is served at /api/v1/openapi.json."""

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(title="Harapan API", version="1", auth=django_auth)
