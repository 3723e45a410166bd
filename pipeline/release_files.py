"""The file-system steps of publishing (`pipeline.release`): a symlink pointed atomically, a
folder exchanged for a link, removal, and durable writes (fsync).

Every call goes through `pipeline.release`'s `os`, `shutil` and `pause_point` rather than
this module's own: the tests replace those three in `pipeline.release` to fail or stop each
file operation of a publish in turn (tests/publish_atomic/).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import secrets
from pathlib import Path

from pipeline import release


def point(link: Path, target: str, stage: str | None = None) -> None:
    """Make `link` a symlink to `target` atomically: a temporary link renamed over it."""
    temporary = link.with_name(f".{link.name}.{secrets.token_hex(4)}.tmp")
    release.os.symlink(target, temporary)
    try:
        if stage:
            release.pause_point(stage)
        release.os.replace(temporary, link)
    except BaseException:
        with contextlib.suppress(OSError):
            release.os.unlink(temporary)
        raise


def replace_folder(folder: Path, target: str) -> None:
    """Replace a real folder by a symlink to `target`: an atomic exchange where the kernel
    can (renameat2), else rename it aside and put the link in its place (a brief gap)."""
    temporary = folder.with_name(f".{folder.name}.{secrets.token_hex(4)}.tmp")
    release.os.symlink(target, temporary)
    if exchange(temporary, folder):
        aside = temporary
    else:
        aside = folder.with_name(f".{folder.name}.{secrets.token_hex(4)}.aside")
        release.os.rename(folder, aside)
        release.os.replace(temporary, folder)
    with contextlib.suppress(OSError):  # else the next run's clean_leftovers removes it
        remove(aside)


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if (
        renameat2(
            at_fdcwd, release.os.fsencode(a), at_fdcwd, release.os.fsencode(b), rename_exchange
        )
        == 0
    ):
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, release.os.strerror(code), str(b))


def same_file(a: Path, b: Path) -> bool:
    try:
        return release.os.path.samefile(a, b)
    except OSError:
        return False


def remove(path: Path) -> None:
    """Delete a file, a symlink or a folder tree."""
    if path.is_dir() and not path.is_symlink():
        release.shutil.rmtree(path)
    else:
        release.os.unlink(path)


def write_file(path: Path, data: bytes) -> None:
    fd = release.os.open(path, release.os.O_WRONLY | release.os.O_CREAT | release.os.O_TRUNC, 0o644)
    try:
        release.os.write(fd, data)
    finally:
        release.os.close(fd)


def fsync_tree(root: Path) -> None:
    """fsync every file and folder under `root`, folders after their contents."""
    for folder, _, files in release.os.walk(root, topdown=False):
        for name in files:
            fd = release.os.open(release.os.path.join(folder, name), release.os.O_RDONLY)
            try:
                release.os.fsync(fd)
            finally:
                release.os.close(fd)
        fsync_dir(Path(folder))


def fsync_dir(path: Path) -> None:
    fd = release.os.open(path, release.os.O_RDONLY | release.os.O_DIRECTORY)
    try:
        release.os.fsync(fd)
    finally:
        release.os.close(fd)
