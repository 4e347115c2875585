"""Members registry import and the lawful composition rules."""

from __future__ import annotations

import re
from datetime import date

import pytest

from workbench.council.composition import check_composition
from workbench.council.members import Member, active_members, import_members
from workbench.errors import WorkbenchError
from workbench.evaluation.census import Census

CENSUS = Census("test", {"age": {"0-14 ans": 0.157, "15-29 ans": 0.138, "30-44 ans": 0.149,
                                 "45-59 ans": 0.206, "60-74 ans": 0.213,
                                 "75 ans et plus": 0.137}})
HEADER = ("nom;email;telephone;commune;sexe;tranche_age;college;elu_communautaire;entree;"
          "sortie;consentement;conservation_jusqu_au\n")


def members(women: int, men: int, bands: list[str] | None = None) -> list[Member]:
    bands = bands or ["15-29 ans", "30-44 ans", "45-59 ans", "60-74 ans", "75 ans et plus"]
    return [Member(i, f"M{i}", "22070", "F" if i < women else "H", bands[i % len(bands)],
                   "habitants", False) for i in range(women + men)]


@pytest.mark.parametrize(("women", "men", "ok"), [(10, 10, True), (10, 11, True),
                                                  (11, 10, True), (10, 12, False),
                                                  (13, 10, False)])
def test_parity_allows_a_gap_of_one(women, men, ok) -> None:
    parity = check_composition(members(women, men), CENSUS)[0]
    assert parity.ok is ok
    assert f"{women} femmes et {men} hommes" in parity.verdict


@pytest.mark.parametrize(("women", "men", "counts", "missing"), [
    (1, 1, "1 femme et 1 homme", None),
    (3, 1, "3 femmes et 1 homme", "1 homme de plus"),
    (1, 4, "1 femme et 4 hommes", "2 femmes de plus"),
])
def test_parity_verdict_agrees_with_each_count(women, men, counts, missing) -> None:
    verdict = check_composition(members(women, men), CENSUS)[0].verdict
    assert counts in verdict and "(s)" not in verdict
    if missing:
        assert f"il faudrait {missing} ou" in verdict


def test_members_without_a_commune_and_councillors_are_counted_in_french() -> None:
    def rules(without: int, councillors: int):
        group = members(5, 5)
        for i in range(without):
            group[i] = Member(i, f"M{i}", None, group[i].sex, group[i].age_band, "habitants",
                              False)
        for i in range(councillors):
            group[-1 - i] = Member(9 - i, f"Élu {i}", "22070", group[-1 - i].sex,
                                   group[-1 - i].age_band, "habitants", True)
        found = check_composition(group, CENSUS)
        return found[2].details, found[-1].verdict

    details, verdict = rules(1, 1)
    assert "1 membre sans commune renseignée." in details
    assert verdict == "1 conseiller communautaire parmi les membres, ce que la loi exclut."
    details, verdict = rules(2, 2)
    assert "2 membres sans commune renseignée." in details
    assert verdict == "2 conseillers communautaires parmi les membres, ce que la loi exclut."


def test_a_missing_age_band_is_named() -> None:
    rule = check_composition(members(10, 10, ["30-44 ans", "45-59 ans", "60-74 ans"]),
                             CENSUS)[1]
    assert not rule.ok
    assert "Aucun membre de la tranche 15-29 ans." in rule.details
    assert "Aucun membre de la tranche 75 ans et plus." in rule.details


def test_community_councillors_are_flagged() -> None:
    group = members(5, 5)
    group[0] = Member(0, "Élu", "22070", "F", "30-44 ans", "habitants", True)
    rule = check_composition(group, CENSUS)[-1]
    assert not rule.ok and rule.details == ("Élu",)


def test_import_adds_then_updates_and_names_bad_cells(tmp_path, engine) -> None:
    path = tmp_path / "membres.csv"
    path.write_text(HEADER
                    + "Anne Le Goff;anne@example.org;;Paimpol;F;30-44 ans;habitants;non;"
                      "2025-01-15;;oui;2031-01-15\n"
                    + "Yann Morvan;;;22070;H;60-74 ans;associations;non;15/02/2025;;oui;\n")
    assert import_members(path, engine) == (2, 0)
    assert import_members(path, engine) == (0, 2)  # re-import: no duplicates
    active = active_members(date(2026, 1, 1), engine)
    assert [(m.name, m.commune) for m in active] == [("Anne Le Goff", "22162"),
                                                     ("Yann Morvan", "22070")]
    bad = tmp_path / "erreurs.csv"
    bad.write_text(HEADER + "Paul;;;Rennes;H;30-44 ans;habitants;non;2025-01-01;;oui;\n")
    with pytest.raises(WorkbenchError, match=re.escape(
            "erreurs.csv, ligne 2, colonne 4 (commune) : « Rennes » n'est pas une commune du "
            "territoire.")):
        import_members(bad, engine)
    bad.write_text(HEADER + "Paul;;;;X;30-44 ans;habitants;non;2025-01-01;;oui;\n")
    with pytest.raises(WorkbenchError, match=re.escape("colonne 5 (sexe) : « X » n'est ni F "
                                                       "ni H.")):
        import_members(bad, engine)
    assert len(active_members(date(2026, 1, 1), engine)) == 2  # nothing half-written
