"""The bargain web application (WEB.md): FastAPI pages rendered with Jinja2, htmx fragments, a JSON API."""
