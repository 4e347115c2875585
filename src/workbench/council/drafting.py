"""Drafting a meeting's compte rendu or an avis from a template, to HTML and Word.

The draft (YAML, written by staff) follows the council's template: context, question posed,
summary of the debate with the diversity of viewpoints, proposals. A live workshop session's
results (its code) can be inserted as a section: each released question's counts and chart,
with small cells suppressed as on every public output.
"""

from __future__ import annotations

from pathlib import Path

from workbench.cells import day_value, text_problem
from workbench.documents.document import Block, Document
from workbench.errors import WorkbenchError
from workbench.french import french_date
from workbench.i18n import _
from workbench.yamlfile import load_yaml_mapping

__all__ = ["KINDS", "draft", "workshop_section"]

KINDS = ("compte-rendu", "avis")


def _kind_title(kind: str) -> str:
    return _("Minutes") if kind == "compte-rendu" else _("Avis")


def _sections() -> tuple[tuple[str, str], ...]:
    """The template's sections: the draft's key and its French heading."""
    return (("contexte", _("Context")), ("question", _("Question asked")),
            ("debat", _("Summary of the debate")),
            ("points_de_vue", _("Diversity of viewpoints")), ("propositions", _("Proposals")))


def workshop_section(code: str, engine=None) -> list[Block]:
    """The results of live session ``code``, as report blocks."""
    from workbench.documents.blocks import Figure, Table
    from workbench.evaluation.suppression import SECRET
    from workbench.forms.loader import spec_from_dict
    from workbench.storage import read_connection
    from workbench.storage.workshops import find_session, session_answers
    from workbench.workshops.charts import chart_for
    from workbench.workshops.protected import protected_result
    from workbench.workshops.results import small_cell_threshold

    with read_connection(engine) as conn:
        session = find_session(conn, code)
        if session is None:
            raise WorkbenchError(_("No workshop session '{code}'.").format(code=code))
        answers = session_answers(conn, session.id)
    spec = spec_from_dict(session.spec)
    threshold = small_cell_threshold()
    blocks = [Block("markdown", {"markdown": "## " + _("Results of the workshop '{title}'")
                                 .format(title=session.title)})]
    for question in spec.questions:
        if session.paced and question.id not in session.released:
            continue
        result = protected_result(question, answers.get(question.id, []), threshold)
        if result.hidden:
            blocks.append(Block("markdown", {"markdown": f"**{question.label}** : " + _(
                "fewer than {n} answers, results not published.").format(n=threshold)}))
            continue
        if result.bars:
            table = Table(question.label, [_("Answer"), _("Count"), _("Share (%)")],
                          [[b.label, b.count if b.count is not None else SECRET,
                            b.percent] for b in result.bars],
                          note=_("'s': statistical secret (1 to {last} answers, or a count "
                                 "that would let such a count be deduced from the total).")
                          .format(last=threshold - 1)
                          if any(b.count is None for b in result.bars) else "")
            blocks.append(Block("table", table.content()))
        chart = chart_for(result)
        if chart is not None:
            blocks.append(Block("figure", Figure(question.label, chart).content()))
    return blocks


def draft(path: Path, output: Path, engine=None) -> tuple[Path, Path]:
    """Write ``<name>.html`` and ``<name>.docx`` for the draft in ``path``."""
    from workbench.documents.render_html import render_html
    from workbench.documents.render_word import write_word

    data = load_yaml_mapping(path)
    kind = data.get("type")
    if kind not in KINDS:
        raise WorkbenchError(_("{file}: 'type' is compte-rendu or avis.").format(file=path.name))
    for key in ("titre", "instance", "date"):
        if not data.get(key):
            raise WorkbenchError(_("{file}: '{key}' is required.").format(file=path.name,
                                                                         key=key))
    for key, value in data.items():
        problem = text_problem(str(value))
        if problem:
            raise WorkbenchError(_("{what}: {problem}").format(what=f"{path.name}: {key}",
                                                               problem=problem))
    when = day_value(data["date"], f"{path.name}: date")
    document = Document(cover={"title": f"{_kind_title(kind)} — {data['titre']}",
                               "subject": str(data["instance"]), "period": french_date(when),
                               "data_as_of": french_date(when)})
    for key, heading in _sections():
        if data.get(key):
            document.blocks.append(Block("markdown", {"markdown": f"## {heading}\n\n"
                                                                  f"{data[key]}"}))
    if data.get("atelier"):
        document.blocks.extend(workshop_section(str(data["atelier"]), engine))
    output.mkdir(parents=True, exist_ok=True)
    html_path, word_path = output / f"{path.stem}.html", output / f"{path.stem}.docx"
    html_path.write_text(render_html(document, when), encoding="utf-8")
    write_word(document, word_path, when)
    return html_path, word_path
