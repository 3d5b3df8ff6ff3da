"""The one atomic write (:mod:`simulation.io.atomic`): all or nothing, nothing left behind,
ordinary permissions."""

from __future__ import annotations

import os
import stat

import pytest

from simulation.io import atomic


def test_write_text_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "sub" / "a.yaml"
    atomic.write_text(path, "x: 1\n")  # the folder is made
    atomic.write_text(path, "x: 2 — 二\n")
    assert path.read_text(encoding="utf-8") == "x: 2 — 二\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.yaml"]


def test_a_failed_write_keeps_the_old_content_and_removes_its_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    atomic.write_bytes(path, b"old")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_bytes(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_a_new_file_gets_ordinary_permissions_and_a_replaced_one_keeps_its_own(tmp_path):
    new = atomic.write_bytes(tmp_path / "new.json", b"{}")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask  # not mkstemp's 0o600
    kept = tmp_path / "kept.txt"
    kept.write_text("a")
    kept.chmod(0o640)
    atomic.write_text(kept, "b")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_move_into_place_replaces_the_target(tmp_path):
    src, dest = tmp_path / ".nb.tmp", tmp_path / "nb.ipynb"
    src.write_text("new")
    dest.write_text("old")
    assert atomic.move_into_place(src, dest) == dest
    assert dest.read_text() == "new" and not src.exists()
