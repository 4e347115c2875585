"""Live workshops: sessions run by a facilitator, participants on phones, projected results.

Modules: ``sessions`` (create, open, close, freeze, release questions), ``results``
(aggregations with small-cell suppression), ``words`` (word counts, French stopwords),
``charts`` (altair charts rendered to SVG), ``qr`` (QR codes),
``results_page`` and ``console`` (the widgets of the projected page and of the facilitator).
"""

__all__ = ["charts", "console", "qr", "results", "results_page", "sessions", "words"]
