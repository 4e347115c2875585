"""Participatory evaluation: the framework (référentiel), its indicators, who took part
compared with the census, weighting, and French free text. Pure analysis functions here are
reused by the staff page and the ``evaluation`` report."""
