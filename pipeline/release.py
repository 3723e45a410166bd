"""Releases: each run publishes a complete, versioned folder, and one pointer swap makes it current.

This module writes; the folder's layout and reading it are `pipeline.release_layout`, which old
releases pruning keeps `pipeline.release_retention`, the stages of a run and their test hook
`pipeline.release_stages`, its atomic file-system steps `pipeline.release_files`. Every
file-system change of publishing goes through this module's `os` and `shutil` (the steps in
`release_files` call them here too), so the tests can fail each one in turn by replacing them.

Publishing a run (`Releases.publish`), each step durable before the next:

1. the run builds everything inside `releases/.partial-<token>/` (the lock keeps other runs out);
2. `release.json` is written, then every file and folder of the release is fsynced;
3. the folder is renamed to its final name `releases/<UTC time>-<run id[:8]>` (fsync `releases/`);
4. the stable links exist (made once; they point through `current`, so they never change);
5. **the commit**: a new symlink `DIR/.current.<token>.tmp -> releases/<name>` is renamed over
   `DIR/current` (`os.replace`, atomic on POSIX), then DIR is fsynced.

Before step 5 nothing a reader can see has changed; after it, every path resolves to the new
release. A run killed at any moment leaves either the old or the new release current, both
complete; its leftovers (`.partial-*`, `.trash-*`, `.*.tmp` links, a renamed but never current
release) are removed by the next run (`clean_leftovers`), which holds the lock.

Migration: an output folder written by an earlier Ripple holds real files at the stable paths.
The first publish adopts them as a release (`<time>-legacy`: the databases hard-linked, or
copied where links are impossible; Data Docs copied), makes it current, and replaces each real
file by its link atomically (the Data Docs folder by an atomic exchange where the kernel has
`renameat2`), so readers see the same content throughout; then the run publishes as usual.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
from pathlib import Path

from pipeline import __version__, release_files
from pipeline.errors import RippleError
from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME
from pipeline.release_layout import (
    CURRENT,
    DOCS_NAME,
    LEGACY_TEMPS,
    MANIFEST,
    PARTIAL_PREFIX,
    PUBLISHED,
    RELEASE_NAME,
    RELEASES_DIR,
    TRASH_PREFIX,
    ReleaseFolder,
    next_release_name,
    published_at,
)

# also imported from here by run.py and the tests (Retention, STAGES, pause_point), and
# pause_point is called by its name in this module, so a test that replaces
# `pipeline.release.pause_point` stops or fails every stage of a run
from pipeline.release_retention import GRACE_ENV, KEEP_ENV, Retention  # noqa: F401
from pipeline.release_stages import PAUSE_ENV, PAUSE_SECONDS_ENV, STAGES, pause_point  # noqa: F401


class PublishError(RippleError):
    """The release could not be written or made current (disk full, permissions...)."""


class Releases(ReleaseFolder):
    """The releases of one output folder. Every method that writes needs the run lock."""

    # writing (under the lock)

    def clean_leftovers(self) -> list[str]:
        """Remove what interrupted runs left: partial and trashed releases, releases renamed
        but never made current, temporary links and the old layout's temporary files.
        Returns what was removed."""
        removed: list[str] = []
        current = self.current_name()
        if self.dir.is_dir():
            for entry in sorted(self.dir.iterdir()):
                never_current = current is not None and bool(RELEASE_NAME.match(entry.name))
                if entry.name.startswith((PARTIAL_PREFIX, TRASH_PREFIX)) or (
                    never_current and entry.name > current
                ):
                    release_files.remove(entry)
                    removed.append(f"{RELEASES_DIR}/{entry.name}")
        for entry in sorted(self.out.iterdir()) if self.out.is_dir() else []:
            temporary = entry.name.startswith(".") and entry.name.endswith((".tmp", ".aside"))
            if temporary or entry.name in LEGACY_TEMPS:
                release_files.remove(entry)
                removed.append(entry.name)
        return removed

    def stage(self) -> Path:
        """A new empty partial release folder for this run to build in."""
        os.makedirs(self.dir, exist_ok=True)
        path = self.dir / f"{PARTIAL_PREFIX}{secrets.token_hex(4)}"
        os.mkdir(path)
        return path

    def discard(self, staging: Path) -> None:
        """Remove a partial release (a failed run); never the current release."""
        if staging.name != self.current_name():
            release_files.remove(staging)

    def publish(self, staging: Path, run_id: str, now: dt.datetime | None = None) -> Path:
        """Make the finished partial release `staging` the current release; returns its folder.

        Raises PublishError, with the previous release still current and untouched, when any
        step before the pointer swap fails; the partial or renamed folder is then removed.
        """
        final: Path | None = None
        try:
            self._adopt_legacy()
            name = self._new_name(run_id, now)
            self._seal(staging, run_id, name)
            pause_point("synced")
            final = self.dir / name
            os.rename(staging, final)
            release_files.fsync_dir(self.dir)
            pause_point("renamed")
            self._ensure_links()
            pause_point("linked")
            release_files.point(self.current_link, f"{RELEASES_DIR}/{name}", stage="pointer-staged")
        except BaseException as exc:
            for leftover in (staging, final):
                if leftover is not None:
                    self._discard_quietly(leftover)
            if not isinstance(exc, OSError):
                raise
            raise PublishError(
                f"could not publish into {self.out}: {exc.strerror or exc}; nothing was "
                "published, the previous release is still current"
            ) from exc
        pause_point("swapped")
        try:
            release_files.fsync_dir(self.out)
        except OSError as exc:
            self.warnings.append(f"published, but could not fsync {self.out}: {exc.strerror}")
        pause_point("published")
        return final

    def prune(self, retention: Retention, now: dt.datetime | None = None) -> list[str]:
        """Delete old releases that `retention` does not keep; returns their names.

        A release's age is counted from when it stopped being current (its successor's
        publishing time). The current release is always kept. Failures become warnings.
        """
        now = now or dt.datetime.now(dt.UTC)
        names, current = self.names(), self.current_name()
        pruned = []
        for index, name in enumerate(names[: max(len(names) - retention.keep, 0)]):
            if name == current or index + 1 >= len(names):
                continue
            superseded = published_at(names[index + 1])
            if superseded is None or (now - superseded).total_seconds() < retention.grace_seconds:
                continue
            trash = self.dir / f"{TRASH_PREFIX}{name}"
            try:
                os.rename(self.dir / name, trash)
                pause_point("pruning")
                release_files.remove(trash)
            except OSError as exc:
                self.warnings.append(f"could not prune the old release {name}: {exc.strerror}")
                continue
            pruned.append(name)
        return pruned

    # steps of publish

    def _new_name(self, run_id: str, now: dt.datetime | None) -> str:
        """`<UTC time>-<run id[:8]>`, always sorting after every existing release."""
        return next_release_name(self.names(), run_id, now)

    def _seal(self, staging: Path, run_id: str, name: str) -> None:
        """Write release.json, then fsync every file and folder of the release."""
        files = {
            str(path.relative_to(staging)): path.stat().st_size
            for path in sorted(staging.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "release": name,
            "run_id": run_id,
            "published_at": name.split("Z-")[0] + "Z",
            "pipeline_version": __version__,
            "files": files,
        }
        release_files.write_file(
            staging / MANIFEST, json.dumps(manifest, indent=2).encode() + b"\n"
        )
        release_files.fsync_tree(staging)

    def _adopt_legacy(self) -> None:
        """Adopt the real files of an earlier Ripple's output as a release and make it current.

        Only database files that are not already the current release's (same inode) count;
        after a migration killed half-way, the files are already adopted and only linked.
        """
        current = self.current()
        real = {
            name: self.out / name
            for name in (WAREHOUSE_NAME, EXTRACT_NAME)
            if (self.out / name).is_file() and not (self.out / name).is_symlink()
        }
        pending = [
            name
            for name, path in real.items()
            if not (current and release_files.same_file(path, current / name))
        ]
        if not pending:
            return
        staging = self.stage()
        try:
            for name, path in real.items():
                try:
                    os.link(path, staging / name)
                except OSError:
                    shutil.copy2(path, staging / name)
            docs = self.out / DOCS_NAME
            if docs.is_dir() and not docs.is_symlink():
                shutil.copytree(docs, staging / DOCS_NAME)
            name = self._new_name("legacy", None)
            self._seal(staging, "legacy", name)
            os.rename(staging, self.dir / name)
            release_files.fsync_dir(self.dir)
            release_files.point(self.current_link, f"{RELEASES_DIR}/{name}")
        except OSError:
            self._discard_quietly(staging)
            raise
        release_files.fsync_dir(self.out)
        pause_point("adopted")

    def _ensure_links(self) -> None:
        """DIR/<name> -> current/<name> for each published name, each made atomically.

        A real file there has been adopted (`_adopt_legacy`) and is replaced by its link; a
        real Data Docs folder is exchanged with its link."""
        for name in PUBLISHED:
            link, target = self.out / name, f"{CURRENT}/{name}"
            if link.is_symlink():
                if os.readlink(link) != target:
                    release_files.point(link, target)
            elif link.is_dir():
                release_files.replace_folder(link, target)
            else:
                release_files.point(link, target)

    def _discard_quietly(self, path: Path) -> None:
        with contextlib.suppress(OSError):  # else the next run's clean_leftovers removes it
            self.discard(path)
