"""Strict YAML reading that remembers where every key and value came from.

PyYAML follows YAML 1.1, where ``NO`` means false, ``12:30`` is a number and a later duplicate
key silently wins. Content editors should never be surprised like that, so this module resolves
plain scalars the YAML 1.2 way (only ``true``/``false`` are booleans, dates stay text), refuses
duplicate keys, anchors, aliases and custom tags, and records a line and column for each value.
"""

from __future__ import annotations

import dataclasses
import marshal
import re
from typing import Any

import yaml

from psp_static.errors import ContentError

# A path into a document: mapping keys and list indexes, e.g. ("engagements", 0, "cohort").
KeyPath = tuple[str | int, ...]
Position = tuple[int, int]

MAX_DEPTH = 20  # far deeper than any schema; keeps pathological files from exhausting the stack
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Resolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema: everything that is not plainly null, bool or a number is text."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's own class attribute


_Resolver.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)


class _PyLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Resolver):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)


# libyaml's parser is several times faster than PyYAML's own; both feed the same composer.
_Loader: Any = _PyLoader
if yaml.__with_libyaml__:
    _CParser: Any = yaml.cyaml.CParser  # type: ignore[attr-defined]  # types-pyyaml does not declare the C parser

    class _CLoader(_CParser, _Resolver):  # type: ignore[misc]  # a base of type Any (the line above)
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _Resolver.__init__(self)

    _Loader = _CLoader


# Hints for the parser messages editors meet most often.
_SYNTAX_HINTS = (
    ("mapping values are not allowed", "put the value in quotes when it contains ': '"),
    ("could not find expected ':'", "each line needs 'field: value'; check this line and the one above"),
    ("did not find expected key", "check the indentation: fields of one item must line up"),
    ("found undefined alias", "anchors and aliases (&name, *name) are not supported; write the value out"),
    ("did not find expected '-' indicator", "list items must line up under each other"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("expected a single document", "a file holds one document; remove the extra '---' line"),
)


@dataclasses.dataclass(frozen=True)
class Positions:
    """Where each value and each mapping key of a document was written."""

    values: dict[KeyPath, Position]
    keys: dict[KeyPath, Position]
    block_scalars: frozenset[KeyPath] = frozenset()  # values written with | or >


class YamlDoc:
    """Plain Python data plus the position of every value and every mapping key.

    Positions are only read for messages. A document from the build cache keeps them packed
    (:meth:`packed`) until first asked for: unpacking the positions of 10,000 files takes four
    times as long as unpacking their data, and an edit needs hardly any of them.
    """

    __slots__ = ("_packed", "_positions", "data")

    def __init__(self, data: Any, positions: Positions | None = None, packed: bytes = b"") -> None:
        self.data = data
        self._positions = positions
        self._packed = packed

    @property
    def positions(self) -> Positions:
        if self._positions is None:
            values, keys, blocks = marshal.loads(self._packed)
            self._positions = Positions(values, keys, frozenset(blocks))
        return self._positions

    def packed(self) -> bytes:
        """The positions as bytes, for the build cache; ``YamlDoc(data, packed=...)`` takes them back."""
        if not self._packed:
            p = self.positions
            self._packed = marshal.dumps((p.values, p.keys, p.block_scalars))
        return self._packed

    @property
    def block_scalars(self) -> frozenset[KeyPath]:
        return self.positions.block_scalars

    def value_at(self, path: KeyPath) -> Position:
        """Position of the value at ``path``, or of its nearest located ancestor."""
        values = self.positions.values
        while path not in values and path:
            path = path[:-1]
        return values.get(path, (1, 1))

    def key_at(self, path: KeyPath) -> Position:
        """Position of the key that introduces ``path`` (falls back to its value)."""
        return self.positions.keys.get(path) or self.value_at(path)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, YamlDoc):
            return NotImplemented
        return bool(self.data == other.data and self.positions == other.positions)

    __hash__ = None  # type: ignore[assignment]  # mutable data, like a dataclass's

    def __repr__(self) -> str:
        return f"YamlDoc({self.data!r})"


class YamlError(Exception):
    """A document that cannot be read; carries every error found."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def parse(text: str, path: str, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document; ``line_offset`` shifts reported lines (for front matter)."""

    def error(line: int, col: int, message: str) -> ContentError:
        return ContentError(path, line + line_offset, col, message)

    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise YamlError([error(*_syntax_error(text, exc))]) from None
    if node is None:
        raise YamlError([error(1, 1, "the file has no fields; fill it in (see CONTRIBUTING.md)")])
    builder = _Builder(error, line_offset)
    data = builder.build(node, ())
    if builder.errors:
        raise YamlError(builder.errors)
    return YamlDoc(data, Positions(builder.values, builder.keys, frozenset(builder.blocks)))


def _syntax_error(text: str, exc: yaml.YAMLError) -> tuple[int, int, str]:
    """Where PyYAML gave up, and what to tell the editor: (line, column, message)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return _marked_error(text, exc)
    if isinstance(exc, yaml.reader.ReaderError):  # control characters and the like
        before = text[: exc.position]
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        message = f"invisible control character (code {code}) in the text; delete it"
        return before.count("\n") + 1, exc.position - before.rfind("\n"), message
    return 1, 1, f"invalid YAML: {exc}"


def _marked_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "not valid YAML"
    hint = next((h for key, h in _SYNTAX_HINTS if key in str(exc)), "check quotes and indentation")
    if mark and text[mark.index : mark.index + 1] == "\t":
        hint = "indent with spaces, not tabs"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return line, col, f"invalid YAML: {problem}; {hint}"


class _Builder:
    """Turn a composed node tree into Python values, recording positions and refusing traps."""

    def __init__(self, error: Any, line_offset: int) -> None:
        self.error = error
        self.offset = line_offset
        self.errors: list[ContentError] = []
        self.values: dict[KeyPath, Position] = {}
        self.keys: dict[KeyPath, Position] = {}
        self.seen: set[int] = set()
        self.blocks: set[KeyPath] = set()

    def fail(self, node: yaml.Node, message: str) -> None:
        message = message.replace("tag:yaml.org,2002:", "!!")
        self.errors.append(self.error(node.start_mark.line + 1, node.start_mark.column + 1, message))

    def at(self, node: yaml.Node) -> Position:
        return (node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.values[path] = self.at(node)
        if len(path) > MAX_DEPTH:
            self.fail(node, f"values are nested more than {MAX_DEPTH} levels deep; no content type needs that")
            return None
        if id(node) in self.seen:  # the composer hands back the same node for every alias
            self.fail(node, "anchors and aliases (&name, *name) are not supported; write the value out")
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(node, f"tags such as {node.tag} are not supported; remove it")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        if node.style in ("|", ">"):
            self.blocks.add(path)
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        if node.tag != _MAP:
            self.fail(node, f"tags such as {node.tag} are not supported; remove it")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a field name must be plain text")
                continue
            key = str(key_node.value)
            if key == "<<" and not key_node.style:  # plain, not quoted (libyaml says "", PyYAML None)
                self.fail(key_node, "merge keys (<<) are not supported; write the fields out")
                continue
            if key in result:
                first = self.keys[(*path, key)]
                self.fail(key_node, f"field '{key}' appears twice (first on line {first[0]}); keep one of them")
                continue
            self.keys[(*path, key)] = self.at(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value: str = node.value
        tag = node.tag
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        try:
            if tag == _BOOL and value.lower() in ("true", "false"):
                return value.lower() == "true"
            if tag == _INT:
                return int(value, 10)
            if tag == _FLOAT:
                return float(value)
        except ValueError:
            pass  # an explicit tag such as !!int on text that is not a number
        else:
            if tag not in (_BOOL, _INT, _FLOAT):
                self.fail(node, f"tags such as {tag} are not supported; remove it")
                return value
        self.fail(node, f"'{value}' does not match its tag {tag}; remove the tag")
        return value
