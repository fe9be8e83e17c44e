"""The installed package carries every subpackage and data folder."""

import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import fhirsvc

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_of_fhirsvc_is_listed_in_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "fhirsvc").rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to pyproject.toml packages: {sorted(on_disk - listed)}"


def test_data_folders_are_readable_as_package_resources() -> None:
    for package in ("fhirsvc.mappings", "fhirsvc.conformance"):
        assert resources.files(package).is_dir(), package


def test_version_is_a_release_number() -> None:
    major, minor, patch = fhirsvc.__version__.split(".")
    assert all(part.isdigit() for part in (major, minor, patch))


def test_a_checkout_imported_in_place_reads_its_data_folders() -> None:
    # `python -m fhirsvc` in the repository after `pip install .` imports the checkout's
    # fhirsvc/ (the current folder comes first on sys.path), where mappings/ and
    # conformance/ sit beside the package; -S leaves out site-packages and so any
    # installed or editable copy of the two data packages.
    script = ("from importlib import resources; import fhirsvc; "
              "print(resources.files('fhirsvc.mappings')); "
              "print(resources.files('fhirsvc.conformance'))")
    done = subprocess.run([sys.executable, "-S", "-c", script], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(ROOT / "mappings"), str(ROOT / "conformance")]
