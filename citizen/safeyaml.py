"""Provides a hardened YAML reader that keeps the line and column of every value.

It drives libyaml's C event parser (falling back to the pure-Python one) and builds its own small
node tree, so that it can refuse what a lesson file never needs and an attacker might use:
anchors and aliases (alias bombs), explicit tags (`!!python/object`), more than one document,
duplicate keys, nesting deeper than MAX_DEPTH, files over MAX_BYTES and text that is not UTF-8.
Scalars are resolved with YAML 1.1 rules, as PyYAML does, but each keeps its tag and whether it
was quoted, so a validator can refuse `yes`, `NO`, `1.10` or `12:30` where it expects text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

import yaml

MAX_BYTES = 256 * 1024
"""Largest lesson file accepted."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class YamlError(Exception):
    """A file could not be read as safe YAML; carries a 1-based line and column."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        """What is wrong."""
        self.line = line
        """1-based line."""
        self.col = col
        """1-based column."""


@dataclass
class YScalar:
    """A scalar value with its position and how YAML resolved it."""

    value: Any
    """The Python value (str, int, float, bool, None, date, datetime)."""
    tag: str
    """Short tag: str, int, float, bool, null, timestamp."""
    quoted: bool
    """Whether the author quoted it or used a block scalar."""
    raw: str
    """The text as written."""
    line: int
    """1-based line."""
    col: int
    """1-based column."""


@dataclass
class YMap:
    """A mapping whose keys are strings; keeps each key's own position."""

    items: dict[str, tuple[YScalar, "YNode"]] = field(default_factory=dict)
    """Key text -> (key scalar, value node), in file order."""
    line: int = 1
    """1-based line."""
    col: int = 1
    """1-based column."""


@dataclass
class YSeq:
    """A sequence."""

    items: list["YNode"] = field(default_factory=list)
    """The elements, in order."""
    line: int = 1
    """1-based line."""
    col: int = 1
    """1-based column."""


YNode = Union[YScalar, YMap, YSeq]


def _short_tag(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def _scalar(event: Any) -> YScalar:
    line, col = event.start_mark.line + 1, event.start_mark.column + 1
    plain = event.style in (None, "")
    if not plain:
        return YScalar(event.value, "str", True, event.value, line, col)
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
    short = _short_tag(tag)
    if short == "str":
        value: Any = event.value
    else:
        try:
            value = _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, event.value))
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise YamlError(f"cannot read {event.value!r} as {short}: {exc}", line, col) from None
    return YScalar(value, short, False, event.value, line, col)


def decode(data: bytes) -> str:
    """Decodes lesson bytes as UTF-8 (a leading BOM is accepted and dropped).

    Raises:
        YamlError: if the file is too large or not UTF-8, naming the first bad byte's position.
    """
    if len(data) > MAX_BYTES:
        raise YamlError(f"file is {len(data):,} bytes; lesson files may be at most "
                        f"{MAX_BYTES:,} bytes (split the module)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlError(f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as "
                        "UTF-8", line, col) from None


def parse(text: str) -> YNode | None:
    """Parses one YAML document into YNode values, refusing unsafe or surprising constructs.

    Args:
        text: the document.

    Returns:
        The root node, or None for an empty document.

    Raises:
        YamlError: on a syntax error or a refused construct, with its position.
    """
    stack: list[YMap | YSeq] = []
    pending_key: list[YScalar | None] = []
    root: YNode | None = None
    documents = 0

    def attach(node: YNode) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, YSeq):
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, YScalar):
                raise YamlError("a mapping key must be plain text", node.line, node.col)
            if not isinstance(node.value, str):
                raise YamlError(f"key {node.raw!r} is not text; quote it", node.line, node.col)
            if node.value in parent.items:
                first = parent.items[node.value][0]
                raise YamlError(f"duplicate key {node.value!r} (first at line {first.line})",
                                node.line, node.col)
            pending_key[-1] = node
        else:
            parent.items[key.value] = (key, node)
            pending_key[-1] = None

    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event).__name__
            mark = event.start_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            if kind == "AliasEvent":
                raise YamlError(f"aliases (*{event.anchor}) are not allowed in lesson files; "
                                "write the text out", line, col)
            if getattr(event, "anchor", None):
                raise YamlError(f"anchors (&{event.anchor}) are not allowed in lesson files",
                                line, col)
            tag = getattr(event, "tag", None)
            if tag is not None:
                raise YamlError(f"tags such as {tag!r} are not allowed in lesson files", line, col)
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise YamlError("only one YAML document per file (remove the `---`)",
                                    line, col)
            elif kind == "ScalarEvent":
                attach(_scalar(event))
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(f"nested deeper than {MAX_DEPTH} levels", line, col)
                node: YMap | YSeq = (YMap(line=line, col=col) if kind == "MappingStartEvent"
                                     else YSeq(line=line, col=col))
                attach(node)
                stack.append(node)
                pending_key.append(None)
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or ""
        if "nesting depth" in problem:  # libyaml 0.2.6+ stops deep flow nesting while scanning
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", line, col) from None
        raise YamlError(f"YAML syntax: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML: {exc}") from None
    except RecursionError:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels") from None
    return root


def load_bytes(data: bytes) -> YNode | None:
    """Decodes and parses lesson bytes; see `decode` and `parse`."""
    return parse(decode(data))


def plain(node: YNode | None) -> Any:
    """Converts a node tree into plain Python values (dicts, lists, scalars)."""
    if node is None:
        return None
    if isinstance(node, YScalar):
        return node.value
    if isinstance(node, YSeq):
        return [plain(n) for n in node.items]
    return {k: plain(v) for k, (_, v) in node.items.items()}
