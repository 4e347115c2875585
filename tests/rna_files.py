"""RNA waldec extracts for the tests: the real header, rows built from a few fields."""

from __future__ import annotations

from pathlib import Path

HEADER = ("id;id_ex;siret;rup_mi;gestion;date_creat;date_decla;date_publi;date_disso;nature;"
          "groupement;titre;titre_court;objet;objet_social1;objet_social2;adrs_complement;"
          "adrs_numvoie;adrs_repetition;adrs_typevoie;adrs_libvoie;adrs_distrib;adrs_codeinsee;"
          "adrs_codepostal;adrs_libcommune;adrs_gest_nom;adrs_gest_complemid;"
          "adrs_gest_complemgeo;adrs_gest_libvoie;adrs_gest_distrib;adrs_gest_codepostal;"
          "adrs_gest_acheminement;adrs_gest_pays;dir_civilite;siteweb;publiweb;observation;"
          "position;maj_time")
COLUMNS = HEADER.split(";")


def rna_row(rna: str, title: str, insee: str, position: str = "A",
            created: str = "2001-05-12", dissolved: str = "0001-01-01",
            waldec: str = "011005", updated: str = "2024-01-01 10:00:00") -> str:
    values = dict.fromkeys(COLUMNS, "")
    values.update({"id": rna, "siret": "", "gestion": "221P", "date_creat": created,
                   "date_decla": created, "date_publi": created, "date_disso": dissolved,
                   "nature": "D", "groupement": "S", "titre": title, "objet": f"Objet de {title}",
                   "objet_social1": waldec, "objet_social2": "000000", "adrs_numvoie": "3",
                   "adrs_typevoie": "RUE", "adrs_libvoie": "de la Gare",
                   "adrs_codeinsee": insee, "adrs_codepostal": "22200",
                   "adrs_libcommune": "GUINGAMP", "position": position, "maj_time": updated})
    return ";".join(values[c] for c in COLUMNS)


def write_rna(path: Path, rows: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode(encoding))
    return path
