"""The dashboard and the public tracking page: server-rendered (Jinja2) with htmx."""
