"""Shared fixtures: one Validator per session, with real ICD-10-CM behind the code lookup."""

from __future__ import annotations

import csv
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fhirsvc.spec import R4Spec, load_spec
from fhirsvc.terminology.systems import ICD10CM
from fhirsvc.validation import Validator

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "examples"
BROKEN = HERE / "broken"

with warnings.catch_warnings():  # simple_icd_10_cm imports pkg_resources
    warnings.simplefilter("ignore")
    import simple_icd_10_cm


class Icd10cmLookup:
    """ICD-10-CM from the simple_icd_10_cm package (the codes of the 2024 release),
    answering the validator's CodeLookup until fhirsvc.terminology's lands."""

    def knows_system(self, system_uri: str) -> bool:
        return system_uri == ICD10CM

    def has_code(self, system_uri: str, code: str) -> bool:
        return bool(simple_icd_10_cm.is_valid_item(code))


@dataclass(frozen=True)
class Expected:
    file: str
    layer: str
    fhirsvc_profiles: bool
    severity: str
    code: str
    expression: str
    text: str

    @property
    def path(self) -> Path:
        return BROKEN / self.file


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def expectations() -> list[Expected]:
    with (BROKEN / "EXPECTED.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Expected(**{**row, "fhirsvc_profiles": row["fhirsvc_profiles"] == "yes"})  # type: ignore[arg-type]
            for row in rows]


def valid_examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json"))


@pytest.fixture(scope="session")
def spec() -> R4Spec:
    return load_spec()


@pytest.fixture(scope="session")
def validator(spec: R4Spec) -> Validator:
    return Validator(spec, codes=Icd10cmLookup())
