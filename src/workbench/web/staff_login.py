"""The staff app's sign-in page in French (Jupyter server token authentication).

Voilà renders the login form with jupyter_server's own English template; this identity
provider serves the same form handler with ``login.html`` taken from the workbench template.
Loaded by the staff Voilà server only (never in a kernel).
"""

from __future__ import annotations

from jupyter_server.auth.identity import PasswordIdentityProvider
from voila.voila_identity_provider import VoilaLoginHandler

__all__ = ["StaffIdentityProvider", "StaffLoginHandler"]


class StaffLoginHandler(VoilaLoginHandler):
    """Voilà's login handler, with the French page of the workbench template."""

    def get_template(self, name):
        if name == "login.html":
            return self.settings["voila_jinja2_env"].get_template(name)
        return super().get_template(name)


class StaffIdentityProvider(PasswordIdentityProvider):
    """Token authentication whose ``/login`` page is ``StaffLoginHandler``."""

    def get_handlers(self) -> list[tuple[str, object]]:
        return [(path, StaffLoginHandler if path == "/login" else handler)
                for path, handler in super().get_handlers()]
