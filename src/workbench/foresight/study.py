"""A foresight study: ``data/foresight/<slug>/study.yaml`` naming its input files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.i18n import _
from workbench.settings import project_home
from workbench.slugs import data_file, shown
from workbench.yamlfile import load_yaml_mapping

__all__ = ["Study", "load_study"]


@dataclass
class Study:
    slug: str
    folder: Path
    title: str
    context: str = ""
    micmac: Path | None = None
    mactor: Path | None = None
    morpho: Path | None = None
    variables: dict[str, str] = field(default_factory=dict)
    delphi: str | None = None  # slug of a Delphi study (data/delphi/<slug>.yaml)


def load_study(slug: str, root: Path | None = None) -> Study:
    path = data_file(root or project_home() / "data" / "foresight", slug, "{slug}/study.yaml",
                     _("The foresight study '{slug}' does not exist."), hint=True)
    folder = path.parent
    data = load_yaml_mapping(path)
    files = {}
    for key in ("micmac", "mactor", "morpho"):
        if data.get(key):
            files[key] = folder / str(data[key])
            if not files[key].is_file():
                raise WorkbenchError(_("{file}: '{key}' names {target}, which does not exist.")
                                     .format(file=shown(path), key=key,
                                             target=shown(files[key])))
    return Study(slug, folder, str(data.get("title") or slug), str(data.get("context") or ""),
                 variables={str(k): str(v) for k, v in (data.get("variables") or {}).items()},
                 delphi=str(data["delphi"]) if data.get("delphi") else None, **files)
