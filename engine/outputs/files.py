"""The one atomic file writer, and the check of an output path made before any work is done.

A file is written whole or not at all: into a temporary file beside the target, then renamed over it;
on any failure the temporary file is removed, so nothing is left behind. A target that is a folder, a
device, a pipe or a symbolic link is refused (renaming over it would replace it with a regular file),
and so is one whose folder is missing or cannot be written.
"""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Callable
from pathlib import Path

from engine.errors import DataError


def _refuse(path: Path, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> DataError:
    return DataError(f"无法写入 {path}：{zh}", f"cannot write {path}: {en}", hint_zh=hint_zh, hint_en=hint_en, rule="out",
                     actual=str(path))


def check_out(path: Path) -> Path:
    """An output file path that can be written: its folder exists and is writable, and it is no folder, device,
    pipe or symbolic link. DataError (one line, naming the path) otherwise."""
    if not str(path).strip():
        raise _refuse(path, "文件名为空", "the file name is empty")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _refuse(path, exc.strerror or str(exc), exc.strerror or str(exc)) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise _refuse(path, "这是一个符号链接", "it is a symbolic link", "请写出它指向的文件", "give the file it points to")
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(path, "这是一个文件夹", "it is a folder", "请写出文件名", "give a file name inside it")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, "这不是普通文件（设备或管道）", "it is not a regular file (a device or a pipe)")
        if not os.access(path, os.W_OK):
            raise _refuse(path, "文件只读", "the file is read-only")
    folder = path.absolute().parent
    if not folder.is_dir():
        raise _refuse(path, f"文件夹 {folder} 不存在", f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refuse(path, f"文件夹 {folder} 不可写", f"the folder {folder} cannot be written")
    return path


def check_folder(path: Path) -> Path:
    """An output folder that exists and is writable, or can be made under a writable folder."""
    probe = path.absolute()
    if probe.exists() or probe.is_symlink():
        if not probe.is_dir():
            raise _refuse(path, "这不是文件夹", "it is not a folder")
        if not os.access(probe, os.W_OK | os.X_OK):
            raise _refuse(path, "文件夹不可写", "the folder cannot be written")
        return path
    parent = probe.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise _refuse(path, f"无法在 {parent} 下建立文件夹", f"no folder can be made under {parent}")
    return path


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Let `write` fill a temporary file in the target's folder, then rename it over the target."""
    check_out(path)
    # A name of our own rather than mkstemp's, so the file gets the usual permissions (umask), not 0600.
    tmp = path.absolute().parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part"
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise _refuse(path, exc.strerror or str(exc), exc.strerror or str(exc)) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    """Bytes to a file, whole or not at all."""
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Text to a file, whole or not at all."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding=encoding, newline=""))
