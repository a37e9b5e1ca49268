"""Where the project may write and what it may read: one helper for each, so no data can move a file.

- `write_inside(folder, relative, data)` / `path_inside(folder, relative)`: every file whose name is
  made from data (a report id, a market key, a chart's name, a name inside a Superset export) is
  written through these. The path is resolved (symlinks and `..`) and refused unless it stays inside
  `folder`. The validator already refuses an id that is not an identifier; this is the second wall, so
  a row that reached the warehouse another way still cannot write beside the project.
- `create_output(path, data, managed, allowed, force=...)`: a file a person names on the command line
  (`marketwh extract -o`). Never inside a managed path (`ProjectPaths.managed_paths`: the sources,
  build/ but its drafts folder, the served file and everything beside it), checked by path, not by
  permission (root writes a file of mode 0444); a new file only, unless `force` (which still never
  touches a managed path); never a device, FIFO or folder.
- `open_regular(path)` / `read_regular(path, limit)`: an input (a document a person names, a seed) is
  read only when it is a regular file (a FIFO would block the reader, /dev/zero never end), a document
  at most `limit` bytes.
"""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from .errors import MarketWarehouseError


class UnsafePathError(MarketWarehouseError):
    """A path the project refuses to write (outside its folder, managed, existing) or read (not a regular file)."""

    def __init__(self, rule: str, message: str):
        self.rule = rule
        super().__init__(message)


def path_inside(folder: Path, relative: str | Path) -> Path:
    """`folder / relative` with symlinks and `..` resolved; refused unless it lies inside `folder`."""
    base = folder.resolve()
    name = Path(str(relative).replace("\x00", "\\0"))  # a NUL byte cannot name a file: shown, and refused below
    target = (base / name).resolve()
    if name.is_absolute() or "\x00" in str(relative) or target == base or not target.is_relative_to(base):
        raise UnsafePathError(
            "path_outside_folder",
            f"{str(relative)!r} resolves to {target}, not a file inside {folder}: refused to write it (a file name made "
            "from data must stay inside its folder)",
        )
    return target


def paths_inside(folder: Path) -> Callable[[str], Path]:
    """`path_inside(folder, name)` for many names: `folder` and each name's parent folder resolved once
    (a site build places ~20,000 files in four folders; resolving each path in full took 4.6 of the 13.5
    CPU-s of a site that reused every page). A name whose last part is a link, `.` or empty, or with
    `..`, a NUL byte or a backslash, is resolved in full, so it is refused exactly as path_inside refuses it."""
    base = folder.resolve()
    parents: dict[str, Path] = {}

    def inside(relative: str) -> Path:
        head, _, last = relative.rpartition("/")
        if last in ("", ".", "..") or ".." in relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
            return path_inside(folder, relative)
        parent = parents.get(head)
        if parent is None:
            parent = parents[head] = path_inside(folder, head) if head else base
        target = parent / last
        return path_inside(folder, relative) if target.is_symlink() else target

    return inside


def write_inside(folder: Path, relative: str | Path, data: str | bytes) -> Path:
    """Write `data` (text as UTF-8) to `folder / relative`, refused when that resolves outside `folder`."""
    target = path_inside(folder, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    path_inside(folder, target.relative_to(folder.resolve()))  # no link appeared on the way while folders were made
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_bytes(data)
    return target


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def managed_by(path: Path, managed: Iterable[Path], allowed: Iterable[Path] = ()) -> Path | None:
    """The managed path `path` is (or lies inside), symlinks resolved on both sides; None when none. An
    `allowed` folder inside a managed one is carved out of it, by its own name: a link standing there
    carves out nothing."""
    resolved = path.resolve()
    carved = [free.parent.resolve() / free.name for free in allowed]
    for owned in managed:
        for form in {owned.absolute(), owned.resolve()}:
            if not (resolved == form or resolved.is_relative_to(form)):
                continue
            if any(resolved.is_relative_to(free) and free.is_relative_to(form) and free != form for free in carved):
                continue
            return owned
    return None


def check_output(path: Path, managed: Iterable[Path], allowed: Iterable[Path] = (), *, force: bool = False) -> Path:
    """`path` made absolute when a command may write it; else an UnsafePathError saying why not."""
    target = path.absolute()
    owner = managed_by(target, managed, allowed)
    if owner is not None:
        raise UnsafePathError(
            "output_in_managed_path",
            f"{path} is inside {owner}, which marketwh manages (its sources, build/ and the served warehouse): "
            "refused; write it elsewhere, e.g. build/drafts/",
        )
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(mode):
        raise UnsafePathError("output_not_a_file", f"{path} is {_kind(mode)}, not a file: refused to write to it")
    if not force:
        raise UnsafePathError(
            "output_exists", f"{path} already exists: refused to overwrite it; choose a new name, or pass --force to replace it"
        )
    return target


def create_output(path: Path, data: str, managed: Iterable[Path], allowed: Iterable[Path] = (), *, force: bool = False) -> Path:
    """Write `data` to a new file `path` (checked by `check_output`). With `force` an existing regular
    file is replaced by a rename (a link in its place is replaced, never written through)."""
    managed, allowed = list(managed), list(allowed)
    target = check_output(path, managed, allowed, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    check_output(path, managed, allowed, force=force)  # the folders made on the way lead nowhere managed
    if not target.exists():
        try:
            with open(target, "x", encoding="utf-8") as handle:
                handle.write(data)
        except FileExistsError:
            raise UnsafePathError("output_exists", f"{path} appeared while it was written: refused to overwrite it") from None
        return target
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(temporary, "x", encoding="utf-8") as handle:
        handle.write(data)
    os.replace(temporary, target)
    return target


def open_regular(path: Path) -> BinaryIO:
    """`path` open for reading in binary, refused (UnsafePathError) when it is not a regular file. Opened
    without blocking and checked on the open file, so a FIFO (swapped in after any check) cannot hang the
    reader; OSError (missing, unreadable) is the caller's to explain."""
    handle = os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)), "rb")
    mode = os.fstat(handle.fileno()).st_mode
    if not stat.S_ISREG(mode):
        handle.close()
        raise UnsafePathError("not_a_file", f"it is {_kind(mode)}, not a regular file: refused to read it")
    return handle


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path` (`open_regular`), refused when it holds more than `limit` bytes."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafePathError("too_large", f"it holds more than {limit:,} bytes, the most a report document may have: refused to read it")
    return data
