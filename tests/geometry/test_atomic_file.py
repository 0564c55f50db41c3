"""Atomic replacement: a failed write leaves the old file and no temporary file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geometry.atomic_file import NEW_FILE_MODE, replacing, write_bytes_atomic, write_text_atomic


def test_new_file_gets_readable_permissions(tmp_path: Path) -> None:
    path = write_bytes_atomic(tmp_path / "sub" / "a.bin", b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert path.stat().st_mode & 0o777 == NEW_FILE_MODE


def test_replacement_keeps_the_old_permissions(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old")
    os.chmod(path, 0o600)
    write_text_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_failure_leaves_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "plan.png"
    path.write_bytes(b"good")

    def fail_midway() -> None:
        with replacing(path) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        fail_midway()
    assert path.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.png"]


def test_temporary_keeps_the_suffix_for_writers_that_need_it(tmp_path: Path) -> None:
    with replacing(tmp_path / "mesh.glb") as tmp:
        assert tmp.suffix == ".glb"
        assert tmp.parent == tmp_path
        tmp.write_bytes(b"x")
