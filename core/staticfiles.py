"""Production's static files: compressed, with hashed names, and ES modules that import each other by those names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ModuleAwareStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Rewrites `import ... from "./queue.js";` to the hashed name, as it does for url() in CSS.

    Without it the driver's page (static/js/driver/) would load its modules under their plain names, which the
    service worker does not keep (it keeps the hashed ones): the page would lose its script without signal."""

    support_js_module_import_aggregation = True
