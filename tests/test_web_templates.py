"""Page templates are compiled once per server process, not once per page view."""

from __future__ import annotations

from unittest import mock

import jinja2
import nbformat
from nbconvert import HTMLExporter

from workbench.web.templates import MemoryBytecodeCache, share_compiled_templates


def _page() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Atelier")])


def test_a_second_page_view_compiles_no_template() -> None:
    share_compiled_templates()
    share_compiled_templates()  # idempotent
    page = _page()
    compile_ = jinja2.Environment._compile
    with mock.patch.object(jinja2.Environment, "_compile", autospec=True,
                           side_effect=compile_) as compiled:
        first, _ = HTMLExporter().from_notebook_node(page)
        assert compiled.call_count > 0
        compiled.reset_mock()
        second, _ = HTMLExporter().from_notebook_node(page)  # a new exporter, as Voilà does
    assert compiled.call_count == 0
    assert first == second


def test_a_changed_template_or_another_dialect_is_compiled_again() -> None:
    cache = MemoryBytecodeCache()
    sources = {"page": "Bonjour {{ name }}"}

    def render(**options) -> str:
        environment = jinja2.Environment(loader=jinja2.DictLoader(sources),
                                         bytecode_cache=cache, **options)
        return environment.get_template("page").render(name="Plouha")

    assert render() == "Bonjour Plouha"
    sources["page"] = "Au revoir {{ name }}"
    assert render() == "Au revoir Plouha"
    assert render(extensions=["jinja2.ext.do"]) == "Au revoir Plouha"
    assert len(cache._codes) == 2  # one per dialect
