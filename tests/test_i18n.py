"""Every message a person reads is French: the catalogue covers the code, the .mo is current."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from workbench.i18n import LOCALE_DIR, _

SRC = Path(__file__).resolve().parents[1] / "src" / "workbench"
PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "workbench.po"


def extracted_ids() -> set:
    """The message ids the code passes to ``_`` and ``ngettext`` (as babel extracts them)."""
    found = extract_from_dir(str(SRC), keywords={"_": None, "ngettext": (1, 2)})
    return {tuple(m) if isinstance(m, list | tuple) else m for _f, _l, m, _c, _x in found}


def test_every_message_in_the_code_has_a_french_translation() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and all(m.string if isinstance(m.string, tuple)
                                                       else [m.string])}
    missing = extracted_ids() - translated
    assert not missing, ("untranslated (run 'make i18n' and fill the .po): "
                         f"{sorted(missing, key=str)}")


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("domain", ["workbench", "click"])
def test_the_compiled_catalogue_matches_the_po_file(domain: str) -> None:
    po_path = PO.with_name(f"{domain}.po")
    with po_path.open("rb") as handle:
        po = {_key(m.id): _key(m.string) for m in read_po(handle) if m.id}
    with po_path.with_suffix(".mo").open("rb") as handle:
        mo = {_key(m.id): _key(m.string) for m in read_mo(io.BytesIO(handle.read())) if m.id}
    assert mo == po, "the .mo is stale: run 'make i18n'"


def test_the_interface_language_is_french() -> None:
    assert _("Send") == "Envoyer"


def test_no_translation_call_hides_inside_an_f_string() -> None:
    """babel cannot see ``_()`` inside an f-string: such a message would never be translated."""
    import re

    pattern = re.compile(r"""f(["']).*?\{[^}]*\b_\(""")
    offenders = [f"{path.relative_to(SRC)}:{number}"
                 for path in SRC.rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []
