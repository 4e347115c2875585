"""The one way the workbench reads YAML files: strict UTF-8, bounded size and aliases, French
errors with the line.

Every YAML command (questionnaires, référentiels, committee editions, MACTOR, morphological
spaces, studies, drafts, avis) goes through :func:`parse_yaml` or :func:`load_yaml`, so that a
file in another encoding, a "billion laughs" of aliases, a date that does not exist or a nesting
a thousand levels deep gives a French message instead of a traceback or a machine brought down.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from workbench.errors import WorkbenchError
from workbench.i18n import _

__all__ = ["MAX_BYTES", "MAX_NODES", "YamlFileError", "load_yaml", "load_yaml_mapping",
           "parse_yaml", "read_yaml_text"]

MAX_BYTES = 5_000_000  # a questionnaire or a référentiel weighs a few kB
MAX_NODES = 200_000  # values once every alias is expanded
MAX_DEPTH = 200


class YamlFileError(WorkbenchError):
    """A YAML file that cannot be read: the file, the line (if known) and a French reason."""

    def __init__(self, source: str, problem: str, line: int | None = None,
                 syntax: str | None = None) -> None:
        super().__init__(source, problem, line)
        self.source, self.problem, self.line = source, problem, line
        self.syntax = syntax  # PyYAML's own words, when the syntax is wrong

    def message(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return _("{where}: {problem}").format(where=where, problem=self.problem)


def read_yaml_text(path: Path, source: str | None = None) -> str:
    """The text of ``path``, strictly UTF-8 (a BOM is allowed), at most ``MAX_BYTES``."""
    source = source or str(path)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise YamlFileError(source, _("file not found.")) from None
    except OSError as error:
        raise YamlFileError(source, _("unreadable ({error}).").format(
            error=error.strerror or error)) from None
    if len(data) > MAX_BYTES:
        raise YamlFileError(source, _("the file is larger than {size} MB.").format(
            size=MAX_BYTES // 1_000_000))
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise YamlFileError(source, _("the file is not in UTF-8 (byte {position}); save it "
                                      "again as UTF-8.").format(position=error.start + 1),
                            line) from None


class _BoundedLoader(yaml.SafeLoader):
    """A safe loader that refuses documents too large once aliases are expanded, or too deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooLarge(_("the values are nested more than {depth} levels deep.")
                                .format(depth=MAX_DEPTH), self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _TooLarge(Exception):
    def __init__(self, problem: str, mark: yaml.Mark | None = None) -> None:
        super().__init__(problem)
        self.problem, self.mark = problem, mark


def _check_size(root: yaml.Node) -> None:
    """Refuse a node tree bigger than ``MAX_NODES`` once aliases (shared nodes) are expanded."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = MAX_NODES + 1  # a node inside itself (recursive alias): too large
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(key) + size(value) for key, value in node.value)
        if total > MAX_NODES:
            raise _TooLarge(_("more than {n} values once its aliases (*) are expanded.")
                            .format(n=MAX_NODES), node.start_mark)
        sizes[id(node)] = total
        return total

    size(root)


def _syntax_problems() -> tuple[tuple[str, str], ...]:
    """PyYAML's syntax problems (English, by their start), and what to tell staff."""
    tab = _("a tab character: indent with spaces only.")
    return (
        ("mapping values are not allowed here",
         _("a ':' where none is expected (check the indentation, or put the text in quotes).")),
        ("could not find expected ':'", _("a ':' is missing after a key.")),
        ("found character '\t'", tab),
        ("found a tab character", tab),
        ("found character", _("a character that cannot start a value here (put the text in "
                              "quotes).")),
        ("found undefined alias", _("an alias (*) without a matching anchor (&).")),
        ("found duplicate anchor", _("the same anchor (&) twice.")),
        ("found unexpected end of stream",
         _("the file ends too early (a quote or a bracket not closed?).")),
        ("found unknown escape character",
         _("an unknown escape sequence (\\) in a quoted text.")),
        ("did not find expected key", _("a key is expected here (check the indentation).")),
        ("did not find expected '-' indicator",
         _("a '-' is expected here (a list not indented like its neighbours?).")),
        ("expected <block end>", _("the indentation is not consistent.")),
        ("expected ',' or ']'", _("a ',' or a ']' is expected (a list not closed?).")),
        ("expected ',' or '}'", _("a ',' or a '}' is expected (a mapping not closed?).")),
        ("but found another document", _("one document only (a '---' line too many?).")),
        ("found unhashable key", _("a key that is a list or a mapping.")),
    )


def french_syntax_problem(problem: str | None) -> str:
    """PyYAML's ``problem`` in French; one not known here is given as PyYAML words it."""
    text = (problem or "").strip()
    return next((french for start, french in _syntax_problems() if text.startswith(start)),
                text)


def parse_yaml(text: str, source: str) -> tuple[object, yaml.Node | None]:
    """The data of YAML ``text`` and its node tree (for line numbers), or a ``YamlFileError``."""
    loader = None
    try:
        loader = _BoundedLoader(text)  # checks the characters already
        # One parse: the node tree gives the lines, the same nodes give the data.
        root = loader.get_single_node()
        if root is not None:
            _check_size(root)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = french_syntax_problem(error.problem)
        raise YamlFileError(source, _("invalid YAML syntax: {problem}").format(
            problem=problem), mark.line + 1 if mark else None, problem) from None
    except yaml.reader.ReaderError as error:
        raise YamlFileError(source, _("character {code} not allowed in a YAML file.").format(
            code=f"U+{error.character:04X}" if isinstance(error.character, int)
            else repr(error.character)), text[:error.position].count("\n") + 1) from None
    except _TooLarge as error:
        raise YamlFileError(source, error.problem,
                            error.mark.line + 1 if error.mark else None) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        # e.g. a date that does not exist (2026-02-30), !!binary that is not base64
        raise YamlFileError(source, _("a value cannot be read (a date that does not exist, "
                                      "or a value of an unknown type).")) from None
    except RecursionError:
        raise YamlFileError(source, _("the values are nested more than {depth} levels deep.")
                            .format(depth=MAX_DEPTH)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, root


def load_yaml(path: Path, source: str | None = None) -> object:
    """The data of the YAML file ``path`` (``source``: how messages name it)."""
    source = source or Path(path).name
    return parse_yaml(read_yaml_text(path, source), source)[0]


def load_yaml_mapping(path: Path, source: str | None = None) -> dict:
    """The data of ``path``, which must be a mapping (``key: value`` lines); empty → ``{}``."""
    source = source or Path(path).name
    data = load_yaml(path, source)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YamlFileError(source, _("the file must hold 'key: value' lines, not a list or "
                                      "a single value."), 1)
    return data
