"""The JSON API (django-ninja); its OpenAPI schema is served at /api/v1/openapi.json.

Every endpoint needs a logged-in session (``django_auth``: 401 otherwise) and reads through the
caller's scope. The interactive docs page (/api/v1/docs) is served only when ``ninja`` is in
INSTALLED_APPS, because only then does ninja serve Swagger UI from its own static files; without
it ninja would load Swagger from a CDN, which a deployment on a closed network cannot reach.
"""

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import django_auth

from harapan.regions.api import router as regions_router
from harapan.registry.api import router as households_router

api = NinjaAPI(
    title="Harapan API",
    version="1",
    description="API Harapan (Program Keluarga Harapan): wilayah dan registri KPM dalam wilayah kerja pengguna.",
    auth=django_auth,
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
api.add_router("/regions", regions_router)
api.add_router("/households", households_router)
