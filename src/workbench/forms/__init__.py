"""Questionnaires: specs (``widgets/*.yaml``), answer validation, rendering, submission, export.

Modules: ``spec`` (the model), ``loader`` (YAML with line numbers), ``checks`` (rules across
questions), ``answers`` (server-side validation), ``access`` (dates, invitations),
``submission`` (atomic, idempotent storage), ``fields``/``render``/``page`` (ipywidgets),
``export`` (CSV/XLSX), ``publish`` and ``invitations``. Import the module you need: this
package imports nothing itself, so the participant path loads only what it uses.
"""

__all__ = ["access", "answers", "checks", "export", "fields", "invitations", "loader", "page",
           "publish", "render", "spec", "submission"]
