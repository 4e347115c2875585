"""Reading spec files: YAML with line numbers, validated into a ``FormSpec`` or a ``SpecError``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbench.forms.checks import cross_question_issues
from workbench.forms.issues import SpecError, SpecIssue
from workbench.forms.spec import QUESTION_TYPES, FormSpec
from workbench.yamlfile import YamlFileError, read_yaml_text
from workbench.yamlfile import parse_yaml as parse_bounded_yaml

__all__ = ["issue_from_pydantic", "load_spec_file", "load_spec_text", "load_yaml_model",
           "located", "parse_yaml", "read_text", "spec_from_dict"]

M = TypeVar("M", bound=BaseModel)


def load_spec_file(path: str | Path) -> FormSpec:
    """The validated spec in ``path``; its slug defaults to the file name."""
    path = Path(path)
    return load_spec_text(read_text(path, str(path)), str(path), path.stem)


def read_text(path: Path, source: str) -> str:
    """The text of a YAML file (strict UTF-8, bounded), or a ``SpecError``."""
    try:
        return read_yaml_text(path, source)
    except YamlFileError as error:
        raise _spec_error(error) from None


def parse_yaml(text: str, source: str) -> tuple[object, yaml.Node | None]:
    """The data of YAML ``text`` and its node tree (for line numbers), or a ``SpecError``."""
    try:
        return parse_bounded_yaml(text, source)
    except YamlFileError as error:
        raise _spec_error(error) from None


def _spec_error(error: YamlFileError) -> SpecError:
    if error.syntax is not None:
        issue = SpecIssue("yaml_syntax", (), {"problem": error.syntax}, error.line)
    else:
        issue = SpecIssue("yaml_file", (), {"problem": error.problem}, error.line or 1)
    return SpecError(error.source, [issue])


def load_yaml_model(path: str | Path, model: type[M],
                    checks: Callable[[M], list[SpecIssue]] | None = None,
                    source: str | None = None) -> M:
    """A YAML file validated into ``model`` (its slug defaults to the file name), then
    ``checks``; every problem as a French ``file:line`` issue in one ``SpecError``, the file
    named ``source`` (default: ``path``)."""
    path = Path(path)
    source = source or str(path)
    if not path.is_file():
        raise SpecError(source, [SpecIssue("file_missing", (), {}, 1)])
    data, root = parse_yaml(read_text(path, source), source)
    if not isinstance(data, dict):
        raise SpecError(source, [SpecIssue("not_mapping", (), {}, 1)])
    data.setdefault("slug", path.stem)
    try:
        value = model.model_validate(data)
    except ValidationError as error:
        raise SpecError(source, located([issue_from_pydantic(e) for e in error.errors()],
                                        root)) from None
    issues = checks(value) if checks else []
    if issues:
        raise SpecError(source, located(issues, root))
    return value


def located(issues: list[SpecIssue], root: yaml.Node | None) -> list[SpecIssue]:
    """The issues with the line of the YAML node each one points at."""
    return [_with_line(issue, root) for issue in issues]


def load_spec_text(text: str, source: str, stem: str) -> FormSpec:
    """Validate YAML ``text``; errors name ``source`` and the line of each problem."""
    data, root = parse_yaml(text, source)
    if not isinstance(data, dict):
        raise SpecError(source, [SpecIssue("not_mapping", (), {}, 1)])
    data.setdefault("slug", stem)
    issues: list[SpecIssue] = []
    if data["slug"] != stem:
        issues.append(SpecIssue("slug_mismatch", ("slug",), {"slug": data["slug"], "stem": stem}))
    try:
        spec = FormSpec.model_validate(data)
    except ValidationError as error:
        issues += [issue_from_pydantic(e) for e in error.errors()]
        spec = None
    if spec is not None:
        issues += cross_question_issues(spec)
    if issues:
        raise SpecError(source, [_with_line(issue, root) for issue in issues])
    return spec


def spec_from_dict(data: dict) -> FormSpec:
    """A spec stored in the database (already checked when it was published)."""
    return FormSpec.model_validate(data)


def issue_from_pydantic(error: dict) -> SpecIssue:
    ctx = dict(error.get("ctx") or {})
    # pydantic names a question's type after its index (questions.3.likert.labels): drop it
    loc = tuple(part for i, part in enumerate(error["loc"]) if not (
        part in QUESTION_TYPES and i and isinstance(error["loc"][i - 1], int)))
    kind = error["type"]
    if kind == "extra_forbidden":
        ctx["name"] = loc[-1]
    if kind == "union_tag_not_found":
        ctx["types"] = ", ".join(QUESTION_TYPES)
    if kind in ("literal_error", "enum"):
        ctx["input"] = error.get("input")
        ctx["expected"] = str(ctx.get("expected", "")).replace(" or ", " ou ")
    ctx.setdefault("msg", error.get("msg"))
    return SpecIssue(kind, loc, ctx)


def _with_line(issue: SpecIssue, root: yaml.Node | None) -> SpecIssue:
    if issue.line is not None:
        return issue
    return SpecIssue(issue.code, issue.loc, issue.ctx, _line_of(root, issue.loc))


def _line_of(node: yaml.Node | None, loc: tuple) -> int:
    """The 1-based line of the node at ``loc`` (or of its closest existing parent)."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    # A scalar's problem is on its key's line; a block's starts there too.
                    line = key.start_mark.line + 1
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and 0 <= part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line
