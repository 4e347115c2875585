"""The edge towards Voilà: serving the public app, URL parameters, the page template."""

__all__ = ["live", "params", "pool", "serve", "staff_login", "urls"]
