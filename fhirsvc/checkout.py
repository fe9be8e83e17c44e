"""The data packages of a source checkout imported without an editable install.

``pip install .`` installs ``mappings/`` and ``conformance/`` as the packages
``fhirsvc.mappings`` and ``fhirsvc.conformance``. ``python -m fhirsvc`` (or ``python -m
fhirsvc.bench``, granian, gunicorn) started in the checkout imports the checkout's
``fhirsvc/`` instead of the installed copy, because the current folder comes first on
``sys.path``; there the two data folders sit beside the package, not in it. This points
the two package names at them, so the same commands work from the checkout too.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

#: Folders at the top of the repository installed as ``fhirsvc.<name>`` (pyproject.toml).
DATA_PACKAGES = ("mappings", "conformance")


def adopt_data_folders(package: str, package_dir: Path) -> None:
    """Register ``<package>.<name>`` for each data folder beside ``package_dir`` when no
    installed or editable copy of it can be found (a checkout imported in place)."""
    root = package_dir.parent
    if not (root / "pyproject.toml").is_file():
        return
    for name in DATA_PACKAGES:
        full = f"{package}.{name}"
        init = root / name / "__init__.py"
        if full in sys.modules or not init.is_file() or importlib.util.find_spec(full):
            continue
        spec = importlib.util.spec_from_file_location(
            full, init, submodule_search_locations=[str(init.parent)])
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        spec.loader.exec_module(module)
