"""Read YAML or JSON documents and remember where each element sits in the text.

The loaders return plain data (dicts, lists, str, int, float, bool, None; YAML with ``safe_load``
semantics, so no arbitrary Python objects) and a :class:`PositionMap` from element paths such as
``("buildings", 1, "exits", 0)`` to 1-based ``(line, column)``. Error messages use it to point at
the line of the element they name.

For a mapping entry the position is that of its value when the value starts on the key's line
(``inventory_kg: -5`` points at ``-5``), else that of the key (``fence:`` followed by a block); the
same rule holds for JSON (``"inventory_kg": -5``).

A key given twice in one mapping (YAML) or object (JSON) is refused with both line numbers: the
parsers would silently keep the last value.
"""

from __future__ import annotations

import bisect
import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["DocumentSyntaxError", "PathKey", "PositionMap", "load_json", "load_yaml"]

#: An element path: mapping keys and list indices from the document root.
PathKey = tuple[str | int, ...]


class DocumentSyntaxError(ValueError):
    """Text that is not valid YAML or JSON; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class PositionMap:
    """Element paths to 1-based ``(line, column)`` in one document.

    Attributes
    ----------
    positions : dict
        ``{path: (line, column)}``; the root is ``()``.
    """

    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def lookup(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """Position of ``path``, or of its nearest ancestor that has one; None if none has."""
        key = tuple(path)
        while True:
            pos = self.positions.get(key)
            if pos is not None:
                return pos
            if not key:
                return None
            key = key[:-1]

    def __len__(self) -> int:
        return len(self.positions)


#: libyaml's parser when PyYAML was built with it (about 8 times faster), else the pure-Python one;
#: both give the same data and the same marks.
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> tuple[Any, PositionMap]:
    """Parse YAML text with safe-load semantics and record element positions.

    Parameters
    ----------
    text : str
        The document.

    Returns
    -------
    data : object
        What ``yaml.safe_load(text)`` returns.
    positions : PositionMap
        Element positions; a mapping key is recorded as the constructed key (``1:`` as the int 1).

    Raises
    ------
    DocumentSyntaxError
        If the text is not valid YAML (or holds several documents, or tags safe_load refuses), or
        a mapping gives the same key twice.
    """
    loader = _YamlLoader(text)
    positions: dict[PathKey, tuple[int, int]] = {}
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_duplicate_keys(node)
        data = loader.construct_document(node) if node is not None else None
        if node is not None:
            _walk_yaml(node, (), positions, set(), loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problem = exc.problem or "syntax error"
        context = f" ({exc.context})" if exc.context else ""
        raise DocumentSyntaxError(f"invalid YAML: {problem}{context}", line, col) from None
    except yaml.YAMLError as exc:
        raise DocumentSyntaxError(f"invalid YAML: {exc}", None, None) from None
    finally:
        loader.dispose()
    return data, PositionMap(positions)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_YAML_MERGE_TAG = "tag:yaml.org,2002:merge"


def _check_duplicate_keys(root: yaml.Node) -> None:
    """Raise :class:`DocumentSyntaxError` at the second of two equal keys in one mapping.

    Keys compare by resolved tag and text (``1`` and ``'1'`` differ, as they do once loaded);
    merge keys (``<<``) are skipped, since a key may override a merged one.
    """
    stack: list[yaml.Node] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], yaml.Node] = {}
            for key_node, value_node in node.value:
                stack.append(value_node)
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _YAML_MERGE_TAG:
                    continue
                key = (key_node.tag, key_node.value)
                earlier = first.setdefault(key, key_node)
                if earlier is not key_node:
                    line, column = _mark(key_node)
                    raise DocumentSyntaxError(
                        f"invalid YAML: key {key_node.value!r} is given twice in one mapping, on "
                        + f"line {_mark(earlier)[0]} and line {line}; each key may appear once "
                        + "(remove or rename one)",
                        line,
                        column,
                    )
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _walk_yaml(
    node: yaml.Node,
    path: PathKey,
    out: dict[PathKey, tuple[int, int]],
    seen: set[int],
    loader: Any,
) -> None:
    out.setdefault(path, _mark(node))
    if id(node) in seen:  # an alias pointing back up the tree
        return
    seen = seen | {id(node)}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            # the data holds the constructed key (``1:`` is the int 1, ``on:`` is True)
            key = loader.construct_object(key_node)
            if not isinstance(key, str | int):
                continue
            child = (*path, key)
            same_line = value_node.start_mark.line == key_node.start_mark.line
            out[child] = _mark(value_node) if same_line else _mark(key_node)
            _walk_yaml(value_node, child, out, seen, loader)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_yaml(item, (*path, index), out, seen, loader)


def load_json(text: str) -> tuple[Any, PositionMap]:
    """Parse JSON text and record element positions.

    Parameters
    ----------
    text : str
        The document.

    Returns
    -------
    data : object
        What ``json.loads(text)`` returns.
    positions : PositionMap
        Element positions (empty if the position scan meets something it does not expect).

    Raises
    ------
    DocumentSyntaxError
        If the text is not valid JSON, or an object gives the same key twice.
    """
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_pairs)
    except json.JSONDecodeError as exc:
        raise DocumentSyntaxError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except _DuplicateKeyError as exc:
        raise _json_duplicate_error(text, exc.key) from None
    positions: dict[PathKey, tuple[int, int]] = {}
    try:
        _JsonScanner(text, positions).value(_skip_ws(text, 0), ())
    except (ValueError, IndexError):
        positions = {}  # the data is valid; only the positions are lost
    return data, PositionMap(positions)


class _DuplicateKeyError(Exception):
    """A JSON object with a key given twice (raised from the decoder's pairs hook)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _json_duplicate_error(text: str, key: str) -> DocumentSyntaxError:
    """Build the error for ``key`` given twice, with the lines of its first two occurrences."""
    positions: dict[PathKey, tuple[int, int]] = {}
    lines: list[int] = []
    scanner = _JsonScanner(
        text, positions, lambda k, pos, keys: _duplicate_line(k, pos, keys, key, lines)
    )
    with contextlib.suppress(ValueError, IndexError):
        scanner.value(_skip_ws(text, 0), ())
    where = f"on line {lines[0]} and line {lines[1]}" if len(lines) >= 2 else "twice"
    line = lines[1] if len(lines) >= 2 else None
    return DocumentSyntaxError(
        f"invalid JSON: key {key!r} is given twice in one object, {where}; each key may appear "
        + "once (remove or rename one)",
        line,
        None,
    )


def _duplicate_line(
    key: str, pos: tuple[int, int], keys: dict[str, int], wanted: str, lines: list[int]
) -> None:
    """Pairs hook of the scanner: record the lines of ``wanted`` when it repeats in one object."""
    if key in keys and key == wanted and not lines:
        lines += [keys[key], pos[0]]
    keys.setdefault(key, pos[0])


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


class _JsonScanner:
    """Walk valid JSON text and record where each value starts; the decoder skips scalars."""

    def __init__(
        self,
        text: str,
        out: dict[PathKey, tuple[int, int]],
        on_key: Callable[[str, tuple[int, int], dict[str, int]], None] | None = None,
    ) -> None:
        self.text = text
        self.out = out
        # called with (key, its position, {key: line} of the object so far) for every member
        self.on_key = on_key
        self.decoder = json.JSONDecoder()
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def pos(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return (line, offset - self.line_starts[line - 1] + 1)

    def value(self, i: int, path: PathKey, key_pos: tuple[int, int] | None = None) -> int:
        """Record the value starting at ``i`` (or its key's position) and return where it ends."""
        pos = self.pos(i)
        # as for YAML: a value on its key's line is pointed at, else the key
        self.out[path] = pos if key_pos is None or key_pos[0] == pos[0] else key_pos
        ch = self.text[i]
        if ch == "{":
            keys: dict[str, int] = {}
            return self.items(i, "}", lambda j, _: self.member(j, path, keys))
        if ch == "[":
            return self.items(i, "]", lambda j, index: self.value(j, (*path, index)))
        _, end = self.decoder.raw_decode(self.text, i)
        return int(end)

    def member(self, i: int, path: PathKey, keys: dict[str, int]) -> int:
        """Record the ``"key": value`` member of an object starting at ``i``; return its end."""
        key_pos = self.pos(i)
        key, i = json.decoder.scanstring(self.text, i + 1)  # type: ignore[attr-defined]
        if self.on_key is not None:
            self.on_key(key, key_pos, keys)
        i = _skip_ws(self.text, i)
        if self.text[i] != ":":
            raise ValueError("expected ':'")
        return self.value(_skip_ws(self.text, i + 1), (*path, key), key_pos)

    def items(self, i: int, close: str, item: Callable[[int, int], int]) -> int:
        """Walk the comma-separated items of the container opening at ``i``; return its end.

        ``item(start, index)`` records one item and returns where it ends.
        """
        i = _skip_ws(self.text, i + 1)
        if self.text[i] == close:
            return i + 1
        index = 0
        while True:
            i = _skip_ws(self.text, item(i, index))
            if self.text[i] == close:
                return i + 1
            if self.text[i] != ",":
                raise ValueError("expected ','")
            i = _skip_ws(self.text, i + 1)
            index += 1
