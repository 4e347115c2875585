"""The territory: the 57 member communes of Guingamp-Paimpol Agglomération."""

from workbench.territory.communes import Commune, commune_by_code, communes

__all__ = ["Commune", "commune_by_code", "communes"]
