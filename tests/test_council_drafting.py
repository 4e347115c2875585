"""Comptes rendus and avis drafted from the template, with a workshop's results."""

from __future__ import annotations

import pytest

from workbench.council.drafting import draft
from workbench.errors import WorkbenchError

from .conftest import ROOT


def test_a_compte_rendu_with_a_workshop_section_is_written_to_html_and_word(
        engine, demo_form, monkeypatch, tmp_path) -> None:
    import docx

    from workbench.forms.submission import submit_response
    from workbench.workshops import sessions

    from .test_forms_answers import valid_answers

    session = sessions.create_session("evaluation-transport", "Atelier de Paimpol", False,
                                      engine)
    sessions.open_session(session.code, engine)
    for i in range(6):
        submit_response("evaluation-transport", f"draft:{i}", valid_answers(),
                        session_code=session.code, engine=engine, is_synthetic=True)
    source = (ROOT / "data" / "examples" / "compte-rendu-pleniere.yaml").read_text()
    path = tmp_path / "cr.yaml"
    path.write_text(source + f"atelier: {session.code}\n")
    html_path, word_path = draft(path, tmp_path / "out", engine)
    text = html_path.read_text()
    assert "Compte rendu — Assemblée plénière du 12 mars 2026" in text
    for heading in ("Contexte", "Question posée", "Synthèse des débats",
                    "Diversité des points de vue", "Propositions",
                    "atelier « Atelier de Paimpol »"):
        assert heading in text, heading
    assert "<svg" in text
    word = docx.Document(str(word_path))
    assert any("Propositions" in p.text for p in word.paragraphs) and word.tables


def test_a_draft_without_its_type_is_refused(tmp_path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("titre: T\ninstance: I\ndate: 2026-01-01\n")
    with pytest.raises(WorkbenchError, match="« type » vaut compte-rendu ou avis"):
        draft(path, tmp_path)
