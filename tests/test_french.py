"""French formatting for reports: dates, months, non-breaking spaces in numbers and units."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workbench.french import NARROW_NBSP, NBSP, french_date, french_month, typeset


def test_a_date_is_day_month_year_and_its_time_does_not_break() -> None:
    assert french_date(date(2026, 11, 2)) == "02/11/2026"
    assert french_date("2026-11-02") == "02/11/2026"
    assert french_date(datetime(2026, 11, 2, 19, 58)) == f"02/11/2026 à 19{NBSP}h{NBSP}58"


def test_a_month_is_named_in_french_with_its_year() -> None:
    assert french_month(date(2026, 11, 2)) == f"novembre{NBSP}2026"
    assert french_month(date(2025, 2, 1)) == f"février{NBSP}2025"
    assert french_month(date(2026, 8, 31)) == f"août{NBSP}2026"


@pytest.mark.parametrize(("text", "typeset_text"), [
    ("pour 1 000 habitants", f"pour 1{NARROW_NBSP}000{NBSP}habitants"),
    ("soit 46 % des votants", f"soit 46{NBSP}% des votants"),
    ("12 345 678 €", f"12{NARROW_NBSP}345{NARROW_NBSP}678{NBSP}€"),
    ("IC 95 % 40,2 % – 52,7 %", f"IC 95{NBSP}% 40,2{NBSP}% – 52,7{NBSP}%"),
    ("1 habitant", f"1{NBSP}habitant"),
    # Years, counts and ranges are not numbers in groups of three.
    ("En 2025 et 2026, 300 réponses", "En 2025 et 2026, 300 réponses"),
    ("de 1 à 4 personnes", "de 1 à 4 personnes"),
    ("Q1 2026", "Q1 2026"),
    ("2025 100 réponses", "2025 100 réponses"),
    ("3 heures", "3 heures"),
])
def test_typeset_keeps_numbers_and_their_units_on_one_line(text, typeset_text) -> None:
    assert typeset(text) == typeset_text


def test_typeset_is_idempotent() -> None:
    once = typeset("pour 1 000 habitants, 46 %")
    assert typeset(once) == once
