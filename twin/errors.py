"""Errors raised by the twin layer.

Exception tree::

    ValueError
    ├── SiteFileError      a site file that cannot be read, parsed or trusted; carries every
    │                      problem found as a :class:`SiteIssue` (element path, id, line, column)
    └── UnknownIdError     an id or level key that names nothing in the site; lists the known ones

A :class:`SiteFileError` lists all problems at once, so a user fixes a site file in one pass instead
of one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["SiteFileError", "SiteIssue", "UnknownIdError", "format_path"]


def format_path(path: Sequence[str | int]) -> str:
    """Write a path of keys and indices as ``buildings[1].exits[0]``.

    Parameters
    ----------
    path : sequence of str or int
        Mapping keys (str) and list indices (int) from the document root.

    Returns
    -------
    str
        The dotted path; ``"<root>"`` for the empty path.

    Examples
    --------
    >>> format_path(("buildings", 1, "exits", 0))
    'buildings[1].exits[0]'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "<root>"


@dataclass(frozen=True, slots=True)
class SiteIssue:
    """One problem in a site file.

    Attributes
    ----------
    path : str
        Element path from the document root, e.g. ``"buildings[1].exits[0]"``.
    message : str
        What is wrong: the field, the value and what is allowed.
    line, column : int or None
        1-based position of the element in the file, when known.
    file : str
        The site file (as given to the loader); empty when the site was not read from a file.
    element_id : str or None
        The ``id`` of the element concerned, when it has one.
    """

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    file: str = ""
    element_id: str | None = None

    @classmethod
    def at(
        cls,
        path: Sequence[str | int],
        message: str,
        *,
        position: tuple[int, int] | None,
        file: str = "",
        element_id: str | None = None,
    ) -> SiteIssue:
        """Build an issue for the element at ``path`` found at ``position`` (line, column) or None.

        Parameters
        ----------
        path : sequence of str or int
            Element path from the document root, written with :func:`format_path`.
        message : str
            What is wrong.
        position : (int, int) or None
            1-based line and column of the element, None when unknown.
        file : str
            The site file.
        element_id : str or None
            The ``id`` of the element.

        Returns
        -------
        SiteIssue
            The issue.
        """
        line, column = position if position is not None else (None, None)
        return cls(
            path=format_path(path),
            message=message,
            line=line,
            column=column,
            file=file,
            element_id=element_id,
        )

    @property
    def location(self) -> str:
        """``file:line:column`` as far as known (``"<site>"`` when nothing is)."""
        loc = self.file or "<site>"
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        ident = f" {self.element_id!r}" if self.element_id else ""
        return f"{self.location} {self.path}{ident}: {self.message}"


class SiteFileError(ValueError):
    """A site file with one or more problems; ``issues`` lists them all.

    Parameters
    ----------
    issues : iterable of SiteIssue
        The problems found, in file order where known. Must not be empty.
    """

    def __init__(self, issues: Iterable[SiteIssue]) -> None:
        self.issues: list[SiteIssue] = list(issues)
        if not self.issues:
            self.issues = [SiteIssue(path="<root>", message="invalid site file (no detail given)")]
        super().__init__(self._text())

    def _text(self) -> str:
        if len(self.issues) == 1:
            return str(self.issues[0])
        files = {i.file for i in self.issues}
        where = files.pop() if len(files) == 1 else "the site file"
        head = f"{len(self.issues)} problems in {where or 'the site file'}:"
        return "\n".join([head, *(f"  {issue}" for issue in self.issues)])

    def __reduce__(self) -> tuple[type[SiteFileError], tuple[list[SiteIssue]]]:
        return (type(self), (self.issues,))


class UnknownIdError(ValueError):
    """An id (of a building, level, shift, equipment item ...) or level key that is not in the site.

    Parameters
    ----------
    kind : str
        What was looked up, e.g. ``"building"``, ``"shift"``, ``"level key"``.
    value : str
        The id asked for.
    allowed : iterable of str
        The ids that exist, listed in the message.
    where : str
        Where the lookup was made, e.g. ``"building 'office'"``; empty for the whole site.
    """

    def __init__(self, kind: str, value: str, allowed: Iterable[str], where: str = "") -> None:
        self.kind = kind
        self.value = value
        self.allowed: list[str] = list(allowed)
        self.where = where
        scope = f" of {where}" if where else ""
        choice = f"choose one of {self.allowed}" if self.allowed else "there are none"
        super().__init__(f"{kind} = {value!r} is not a {kind}{scope}; {choice}")

    def __reduce__(self) -> tuple[type[UnknownIdError], tuple[str, str, list[str], str]]:
        return (type(self), (self.kind, self.value, self.allowed, self.where))
