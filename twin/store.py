"""Read and write site files (YAML or JSON, schema version 1).

:func:`load_site` parses a file, checks it against :mod:`twin.schema` (pydantic), checks its
cross-references and geometry (:mod:`twin.validation`) and returns the engine's
:class:`~twin.site.Site`. Every problem found is reported at once in one
:class:`~twin.errors.SiteFileError`, each with the element path, its id and its line and column in
the file.

:func:`save_site` writes a site file atomically: the text goes to a temporary file in the same
folder, which then replaces the target with :func:`os.replace`, so a failed save leaves the old file
intact. Keys follow the schema's field order, fields absent from the source stay absent, and floats
are written with ``repr`` so they read back bit for bit.
"""

from __future__ import annotations

import json
import logging
import os
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from geometry.atomic_file import write_text_atomic
from twin.errors import SiteFileError, SiteIssue, format_path
from twin.positions import DocumentSyntaxError, PathKey, PositionMap, load_json, load_yaml
from twin.schema import SCHEMA_VERSION, SiteFile
from twin.site import Site

__all__ = [
    "SITE_FILE_SUFFIXES",
    "SUPPORTED_SCHEMA_VERSIONS",
    "dump_site_text",
    "load_site",
    "load_site_file",
    "save_site",
]

logger = logging.getLogger(__name__)

#: Schema versions this code reads.
SUPPORTED_SCHEMA_VERSIONS: tuple[int, ...] = (SCHEMA_VERSION,)

#: File suffixes of site files and their format.
SITE_FILE_SUFFIXES: Mapping[str, str] = types.MappingProxyType(
    {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
)

_VALUE_REPR_CHARS = 80


# --------------------------------------------------------------------------------------- reading


def _format_of(path: Path) -> str:
    fmt = SITE_FILE_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise SiteFileError(
            [
                SiteIssue(
                    path="<root>",
                    message=f"file suffix {path.suffix!r} is not a site file format; "
                    + f"use one of {sorted(SITE_FILE_SUFFIXES)}",
                    file=str(path),
                )
            ]
        )
    return fmt


def _read_document(path: Path) -> tuple[Any, PositionMap]:
    fmt = _format_of(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteFileError(
            [
                SiteIssue(
                    path="<root>", message=f"site file {str(path)!r} does not exist", file=str(path)
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteFileError(
            [
                SiteIssue(
                    path="<root>",
                    message=f"cannot read the site file as UTF-8 text: {exc}",
                    file=str(path),
                )
            ]
        ) from None
    try:
        return load_yaml(text) if fmt == "yaml" else load_json(text)
    except DocumentSyntaxError as exc:
        raise SiteFileError(
            [
                SiteIssue(
                    path="<root>",
                    message=exc.message,
                    line=exc.line,
                    column=exc.column,
                    file=str(path),
                )
            ]
        ) from None


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _VALUE_REPR_CHARS else text[: _VALUE_REPR_CHARS - 3] + "..."


def _data_path(data: Any, loc: Sequence[str | int]) -> PathKey:
    """Follow pydantic's ``loc`` through the data, skipping parts that are not keys (union tags)."""
    path: list[str | int] = []
    node: Any = data
    for part in loc:
        is_key = isinstance(node, Mapping) and part in node
        is_index = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if is_key or is_index:
            node = node[part]
            path.append(part)
    return tuple(path)


def _element_id(data: Any, path: Sequence[str | int]) -> str | None:
    """Return the ``id`` of the innermost element on ``path`` that has one (None if none has)."""
    found: str | None = None
    node: Any = data
    for part in path:
        if isinstance(node, Mapping) and isinstance(node.get("id"), str):
            found = node["id"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return found
    if isinstance(node, Mapping) and isinstance(node.get("id"), str):
        found = node["id"]
    return found


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _step(tp: Any, part: str | int) -> Any:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(part) if isinstance(part, str) else None
        return field.annotation if field is not None else None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple) and isinstance(part, int) and args:
        return (
            args[0]
            if origin is list or len(args) == 1 or args[-1] is Ellipsis
            else args[min(part, len(args) - 1)]
        )
    if origin is dict and len(args) == 2:
        return args[1]
    if origin in (typing.Union, types.UnionType) and isinstance(part, str):
        for member in args:
            if isinstance(member, type) and issubclass(member, BaseModel):
                tag = member.model_fields.get("type")
                if tag is not None and tag.default == part:
                    return member
    return None


def _allowed_fields(loc: Sequence[str | int]) -> list[str] | None:
    """Field names allowed where pydantic reported an unknown one (None if not found)."""
    tp: Any = SiteFile
    for part in loc[:-1]:
        tp = _step(tp, part)
        if tp is None:
            return None
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return None


def _issue_from_pydantic(
    err: Mapping[str, Any], data: Any, positions: PositionMap, file: str
) -> SiteIssue:
    loc: tuple[str | int, ...] = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    msg = str(err.get("msg", "invalid value"))
    field = next((p for p in reversed(loc) if isinstance(p, str)), None)
    path = _data_path(data, loc)
    if kind == "missing":
        path = _data_path(data, loc[:-1])
        message = f"{field!r} is required but missing"
    elif kind == "extra_forbidden":
        allowed = _allowed_fields(loc)
        message = f"unknown field {field!r} (= {_short_repr(err.get('input'))})"
        message += f"; allowed fields: {allowed}" if allowed else ""
    elif kind in ("value_error", "assertion_error"):
        message = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    else:
        text = msg.replace("Input should be", "must be")
        target = field if field is not None else format_path(path)
        message = f"{target} = {_short_repr(err.get('input'))}: {text}"
    return SiteIssue.at(
        path,
        message,
        position=positions.lookup(path),
        file=file,
        element_id=_element_id(data, path),
    )


def parse_site_data(data: Any, positions: PositionMap | None = None, *, file: str = "") -> SiteFile:
    """Check parsed site-file data against the schema.

    Parameters
    ----------
    data : object
        What the YAML or JSON parser returned.
    positions : PositionMap, optional
        Element positions, for line numbers in the messages.
    file : str
        Name of the file, for the messages.

    Returns
    -------
    SiteFile
        The parsed model.

    Raises
    ------
    SiteFileError
        With one issue per schema violation: path, element id, line, field, value and what is
        allowed.
    """
    positions = positions or PositionMap()
    if not isinstance(data, Mapping):
        kind = "empty" if data is None else type(data).__name__
        raise SiteFileError(
            [
                SiteIssue(
                    path="<root>",
                    message="a site file must be a mapping with 'schema_version', 'name', "
                    + f"'fence' ...; got {kind}",
                    line=1,
                    file=file,
                )
            ]
        )
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or version not in SUPPORTED_SCHEMA_VERSIONS:
        raise SiteFileError(
            [
                SiteIssue.at(
                    ("schema_version",),
                    f"schema_version = {version!r} is not supported; this version of "
                    + f"hazard-twin reads schema versions {list(SUPPORTED_SCHEMA_VERSIONS)}",
                    position=positions.lookup(("schema_version",)),
                    file=file,
                )
            ]
        )
    try:
        return SiteFile.model_validate(data)
    except ValidationError as exc:
        issues = [_issue_from_pydantic(err, data, positions, file) for err in exc.errors()]
        issues.sort(key=lambda i: (i.line is None, i.line or 0, i.column or 0))
        raise SiteFileError(issues) from None


def load_site_file(path: str | os.PathLike[str]) -> tuple[SiteFile, PositionMap]:
    """Read and parse a site file without checking cross-references or geometry.

    Parameters
    ----------
    path : str or PathLike
        A ``.yaml``, ``.yml`` or ``.json`` site file.

    Returns
    -------
    spec : SiteFile
        The parsed file.
    positions : PositionMap
        Line and column of each element, for messages.

    Raises
    ------
    SiteFileError
        If the file is missing, unreadable, not valid YAML/JSON, of an unsupported schema version or
        breaks the schema; each issue names the element, the field, the value and its line.
    """
    p = Path(path)
    data, positions = _read_document(p)
    return parse_site_data(data, positions, file=str(p)), positions


def load_site(path: str | os.PathLike[str], *, check_geometry: bool = True) -> Site:
    """Read, check and convert a site file.

    Parameters
    ----------
    path : str or PathLike
        A ``.yaml``, ``.yml`` or ``.json`` site file; geometry paths in it are relative to its
        folder.
    check_geometry : bool
        Also build the floor plans and check exits, gates, rooms and reachability (loads the
        referenced mesh and plan files). The result is kept in ``site.view()``.

    Returns
    -------
    Site
        The site model; ``site.source`` holds the parsed file for :func:`save_site`.

    Raises
    ------
    SiteFileError
        Listing every problem found (schema, cross-references, files, geometry), each with its line.
    """
    from twin.validation import check_and_convert  # validation builds on this module's helpers

    p = Path(path)
    spec, positions = load_site_file(p)
    issues, site = check_and_convert(
        spec, positions, base_dir=p.parent, check_geometry=check_geometry, file=str(p)
    )
    if issues or site is None:
        raise SiteFileError(issues)
    logger.info("loaded site %r from %s", site.name, p)
    return site


# --------------------------------------------------------------------------------------- writing


class _SiteDumper(yaml.SafeDumper):
    """Block style for mappings, flow style for points and point lists, indented sequences."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    is_point = bool(data) and all(_is_number(x) for x in data)
    is_points = bool(data) and all(
        isinstance(x, list) and x and all(_is_number(v) for v in x) for x in data
    )
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", data, flow_style=is_point or is_points
    )


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_SiteDumper.add_representer(list, _represent_list)
_SiteDumper.add_representer(str, _represent_str)


def _plain(value: Any) -> Any:
    """Tuples to lists, recursively (keeps float values as they are, unlike JSON-mode dumping)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _site_data(spec: SiteFile) -> dict[str, Any]:
    data = _plain(spec.model_dump(mode="python", exclude_unset=True))
    return {"schema_version": spec.schema_version, **data}


def _file_refs(data: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the mesh and plan references (dicts with a ``file`` key) in dumped site data."""
    for b in data.get("buildings", ()):
        if b.get("mesh"):
            yield b["mesh"]
        for lv in b.get("levels", ()):
            if lv.get("plan"):
                yield lv["plan"]
    for kind in ("equipment", "structures"):
        for item in data.get(kind, ()):
            if item.get("mesh"):
                yield item["mesh"]


def _rebase(data: dict[str, Any], old_dir: Path, new_dir: Path) -> None:
    """Rewrite relative geometry paths so they point at the same files from ``new_dir``."""
    old_dir, new_dir = old_dir.absolute(), new_dir.absolute()
    if old_dir == new_dir:
        return
    for ref in _file_refs(data):
        file = Path(ref["file"]).expanduser()
        if file.is_absolute():
            continue
        target = old_dir / file
        try:
            ref["file"] = Path(os.path.relpath(target, new_dir)).as_posix()
        except ValueError:  # another drive (Windows): keep it absolute
            ref["file"] = str(target)


_NUMBER_LIST = re.compile(r"\[\n\s*([^\[\]{}\"]*?)\n\s*\]")


def _collapse_number_lists(text: str) -> str:
    """Put JSON arrays of numbers on one line (json.dumps puts one number per line)."""
    return _NUMBER_LIST.sub(
        lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text
    )


def dump_site_text(
    spec: SiteFile, fmt: str = "yaml", *, rebase: tuple[Path, Path] | None = None
) -> str:
    """Serialise a site file.

    Parameters
    ----------
    spec : SiteFile
        The site file model.
    fmt : str
        ``"yaml"`` or ``"json"``.
    rebase : (Path, Path), optional
        ``(old_dir, new_dir)``: rewrite relative geometry paths written for a site file in
        ``old_dir`` so they point at the same files from a site file in ``new_dir``.

    Returns
    -------
    str
        The document; keys in schema order, fields not set in ``spec`` left out (they take their
        defaults when read back), floats written exactly.

    Raises
    ------
    ValueError
        If ``fmt`` is not one of the two formats.
    """
    data = _site_data(spec)
    if rebase is not None:
        _rebase(data, *rebase)
    if fmt == "yaml":
        text: str = yaml.dump(
            data,
            Dumper=_SiteDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=100,
        )
        return text
    if fmt == "json":
        return _collapse_number_lists(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    raise ValueError(f"fmt = {fmt!r}: choose 'yaml' or 'json'")


def save_site(
    site: Site | SiteFile,
    path: str | os.PathLike[str],
    *,
    base_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write a site file atomically, as YAML or JSON by the path's suffix.

    Relative geometry paths are rewritten when the file goes to another folder than the one they
    were written for (``site.base_dir`` for a :class:`Site`, ``base_dir`` for a :class:`SiteFile`),
    so the saved file still finds its meshes and plans.

    Parameters
    ----------
    site : Site or SiteFile
        A loaded site (its ``source`` is written) or a site file model.
    path : str or PathLike
        Target ``.yaml``, ``.yml`` or ``.json`` file; its folder must exist.
    base_dir : str or PathLike, optional
        Folder the geometry paths of a :class:`SiteFile` are relative to; default: the target's
        folder (paths written unchanged). Ignored for a :class:`Site`, which knows its ``base_dir``.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    SiteFileError
        If the suffix is not a site file format.
    ValueError
        If a :class:`Site` has no source site file (it was not built from one).
    OSError
        If writing fails; the old file, if any, is left as it was.
    """
    p = Path(path)
    fmt = _format_of(p)
    if isinstance(site, Site):
        if site.source is None:
            raise ValueError(
                f"site {site.name!r} has no source site file to save; build it with to_site(spec)"
            )
        spec, old_dir = site.source, site.base_dir
    else:
        spec, old_dir = site, Path(base_dir) if base_dir is not None else p.parent
    write_text_atomic(p, dump_site_text(spec, fmt, rebase=(old_dir, p.parent)))
    logger.info("saved site %r to %s", spec.name, p)
    return p
