// Starts ReDoc on the schema URL the page names (no inline script: the site's CSP allows scripts from files only).
const container = document.getElementById("redoc-container");
Redoc.init(container.dataset.schemaUrl, {}, container);
