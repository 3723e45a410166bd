"""Loading a helper module or package of the tests by its file path.

Test modules are imported by path (pytest's `--import-mode=importlib`), and the generators they
share (data/sample/generate.py, tests/catalogue/exports.py, tests/fixtures/...) are loaded the
same way. Each is imported once under a fixed name and kept in `sys.modules`: dataclasses look
their module up there while a class is built, and every caller then shares one copy.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_module(name: str, path: Path) -> ModuleType:
    """The module in the file `path`, imported under `name` the first time it is asked for."""
    if name not in sys.modules:
        _execute(name, importlib.util.spec_from_file_location(name, path))
    return sys.modules[name]


def load_package(name: str, folder: Path) -> ModuleType:
    """The package in `folder` (its __init__.py), imported under `name` the first time it is
    asked for, so that its modules can import each other relatively."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        _execute(name, spec)
    return sys.modules[name]


def _execute(name: str, spec: importlib.machinery.ModuleSpec) -> None:
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]  # a failed import must not leave half a module behind
        raise
