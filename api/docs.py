"""ReDoc from our own static files (drf-spectacular-sidecar), under the site's content security policy.

drf-spectacular's own ReDoc page starts ReDoc with an inline script and loads Google's fonts, both refused by our
policy (script-src 'self'); this page loads ReDoc and a small start-up file from static files instead. Swagger UI
needs nothing of the kind: SpectacularSwaggerSplitView already serves its start-up script as a separate file."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from api.errors import ErrorShapeMixin


class SchemaView(ErrorShapeMixin, SpectacularAPIView):
    """The OpenAPI 3 schema (YAML, or JSON with ?format=json), for anyone signed in or holding a token."""


# ReDoc runs its search in a web worker made from a blob: URL; without it the page works, but search does not.
@method_decorator(csp_update({"worker-src": ["blob:"]}), name="dispatch")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
