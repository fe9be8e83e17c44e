"""``fhirsvc validate``: exit status, text and JSON reports, one line per unreadable file."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from fhirsvc.cli import main
from fhirsvc.validation.bindings import LazyCodeLookup

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "validation" / "examples"
BROKEN = HERE / "validation" / "broken"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["validate", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_valid_files_exit_0_and_list_only_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, str(EXAMPLES))
    assert status == 0
    assert out and all(": warning " in line for line in out.splitlines())
    assert "9 file(s) validated: 0 with errors" in err


def test_broken_file_exits_1_with_severity_code_location_and_message(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = BROKEN / "observation-obs-6-value-and-absent-reason.json"
    status, out, _ = run(capsys, str(path))
    assert status == 1
    assert f"{path}: error invariant Observation: obs-6: dataAbsentReason SHALL only be present" \
        in out


def test_json_format_prints_an_operation_outcome_per_file(
        capsys: pytest.CaptureFixture[str]) -> None:
    path = BROKEN / "patient-gender-not-in-value-set.json"
    status, out, _ = run(capsys, str(path), "--format", "json")
    bundle = json.loads(out)
    assert status == 1 and bundle["resourceType"] == "Bundle"
    [entry] = bundle["entry"]
    assert entry["fullUrl"] == path.resolve().as_uri()
    issues = entry["resource"]["issue"]
    assert entry["resource"]["resourceType"] == "OperationOutcome"
    assert {"severity": "error", "code": "code-invalid"}.items() <= issues[0].items()
    assert issues[0]["expression"] == ["Patient.gender"] and issues[0]["diagnostics"]


@pytest.mark.parametrize(("content", "words"), [
    ("nope{", "not valid JSON"),
    ('{"hello": 1}', "no resourceType"),
    ("[1, 2]", "must be a JSON object"),
    ('{"resourceType": "Banana"}', "Unknown resource type 'Banana'"),
    ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
    ('{"resourceType": "Patient", "name": [{"text": "\\udc00"}]}', "lone surrogate"),
    ('{"resourceType": "Patient", "extension": ['  # the parser reads it, nothing else does
     + '{"url": "http://example.org/e", "extension": [' * 450
     + '{"url": "http://example.org/e", "valueString": "x"}' + "]}" * 450 + "]}",
     "nested too deeply"),
])
def test_file_that_is_not_json_or_not_fhir_gets_one_line_naming_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "input.json"
    path.write_text(content, encoding="utf-8")
    status, out, _ = run(capsys, str(path))
    assert status == 1
    [line] = out.splitlines()
    assert line.startswith(f"{path}: ") and words in line


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "empty file"),
    (b'{"resourceType": "Patient", "name": [{"text": "Jos\xe9"}]}',
     "not UTF-8 (byte 0xe9 at offset 50)"),
    (bytes(range(256)), "not text (binary data"),
])
def test_a_file_that_is_empty_not_utf8_or_binary_is_said_so_in_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "input.json"
    path.write_bytes(content)
    status, out, _ = run(capsys, str(path))
    assert status == 1
    assert out.startswith(f"{path}: fatal structure -: {problem}") and out.count("\n") == 1


def test_dash_validates_what_stdin_holds(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    broken = BROKEN / "observation-obs-6-value-and-absent-reason.json"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(broken.read_bytes())))
    status, out, err = run(capsys, "-", "--format", "json")
    assert status == 1 and "1 file(s) validated: 1 with errors" in err
    [entry] = json.loads(out)["entry"]
    assert "fullUrl" not in entry
    assert any("obs-6" in issue["diagnostics"] for issue in entry["resource"]["issue"])


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, str(tmp_path / "absent.json"))
    assert status == 2 and "absent.json: no such file or folder" in err


def test_a_folder_without_json_files_is_a_usage_error_naming_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, str(tmp_path))
    assert status == 2 and err.strip() == (
        f"fhirsvc validate: no *.json or *.ndjson files in {tmp_path}")


def test_ndjson_is_validated_a_line_at_a_time_each_issue_naming_its_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """What ``fhirsvc export`` writes (one resource a line) validates as it loads."""
    export = tmp_path / "export"
    export.mkdir()
    good = {"resourceType": "Patient", "id": "p1", "gender": "female"}
    (export / "Patient.ndjson").write_text("\n".join(json.dumps(r) for r in (
        good, {**good, "id": "p2", "gender": "f"}, good)) + "\n\n", encoding="utf-8")
    status, out, err = run(capsys, str(export))
    assert status == 1 and err.startswith("1 file(s) validated: 1 with errors; 1 error(s)")
    [error] = [line for line in out.splitlines() if " error " in line]
    assert error.startswith(f"{export / 'Patient.ndjson'}: error code-invalid Patient.gender: "
                            "line 2: ")
    assert all(": line " in line for line in out.splitlines())


def test_unknown_icd10cm_code_is_caught_from_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, str(BROKEN / "condition-icd10cm-code-does-not-exist.json"))
    assert status == 1
    assert "Unknown code 'C91.09' in code system http://hl7.org/fhir/sid/icd-10-cm" in out


def test_snomed_code_outside_the_curated_tables_is_an_error_only_under_fhirsvc_profiles(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    condition = json.loads((EXAMPLES / "condition.json").read_text(encoding="utf-8"))
    condition["code"]["coding"] = [{"system": "http://snomed.info/sct", "code": "999999999"}]
    path = tmp_path / "condition.json"
    path.write_text(json.dumps(condition), encoding="utf-8")
    assert "999999999" not in run(capsys, str(path))[1]
    status, out, _ = run(capsys, str(path), "--fhirsvc-profiles")
    assert status == 1 and "Unknown code '999999999'" in out


def test_lazy_code_lookup_loads_the_terminology_only_for_a_checked_system() -> None:
    loads = []

    class Codes:
        def knows_system(self, system_uri: str) -> bool:
            return True

        def has_code(self, system_uri: str, code: str) -> bool:
            return code == "A00.0"

    lookup = LazyCodeLookup(lambda: loads.append(1) or Codes(), {"icd"})
    assert not lookup.knows_system("snomed") and not lookup.loaded
    assert lookup.knows_system("icd") and not lookup.loaded
    assert lookup.has_code("icd", "A00.0") and not lookup.has_code("icd", "Z")
    assert lookup.loaded and loads == [1]


def test_seed_bundles_have_no_error_from_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    golden = HERE / "golden"
    assert sorted(golden.glob("*.json")), "the seeds' golden Bundles are missing"
    status, out, _ = run(capsys, str(golden), "--fhirsvc-profiles")
    assert status == 0, out


def test_every_broken_file_reports_its_expected_issue_at_its_location_from_the_command_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.validation.conftest import expectations

    status, out, _ = run(capsys, str(BROKEN), "--fhirsvc-profiles")
    assert status == 1
    lines = out.splitlines()
    for case in expectations():
        prefix = f"{case.path}: {case.severity} "
        # the location and severity; the words may be another layer's (one defect, one issue)
        assert any(line.startswith(prefix) and f" {case.expression}: " in line
                   for line in lines), case


def test_dash_named_twice_reads_stdin_once(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    valid = EXAMPLES / "condition.json"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(valid.read_bytes())))
    status, out, err = run(capsys, "-", "-")
    assert status == 0 and "1 file(s) validated: 0 with errors" in err
    assert "empty file" not in out and all(line.startswith("-: ") for line in out.splitlines())


def test_a_file_named_twice_or_also_through_its_folder_is_validated_once(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "input.json"
    path.write_text("nope{", encoding="utf-8")
    status, out, err = run(capsys, str(path), str(tmp_path), str(path))
    assert status == 1 and "1 file(s) validated: 1 with errors" in err
    assert out.splitlines() == [f"{path}: fatal structure -: not valid JSON: "
                                "Expecting value: line 1 column 1 (char 0)"]


def test_an_empty_stdin_is_said_so_naming_dash(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    status, out, _ = run(capsys, "-")
    assert status == 1 and out == "-: fatal structure -: empty file\n"


def test_an_unreadable_file_is_said_so_in_one_line(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    path = tmp_path / "input.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as a user who reads every file")
    status, out, _ = run(capsys, str(path))
    assert status == 1
    assert out == f"{path}: fatal exception -: cannot read the file: Permission denied\n"


def test_a_concept_with_text_only_is_said_to_have_no_coding_from_its_value_set(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Not "no coding is not in the value set": the concept holds no coding at all."""
    path = tmp_path / "document.json"
    path.write_text(json.dumps({"resourceType": "DocumentReference", "status": "current",
                                "type": {"text": "case report"},
                                "content": [{"attachment": {"contentType": "text/plain"}}]}))
    status, out, _ = run(capsys, str(path))
    assert status == 0
    assert (f"{path}: warning code-invalid DocumentReference.type: DocumentReference.type: "
            "text only, no coding from the preferred value set "
            "http://hl7.org/fhir/ValueSet/c80-doc-typecodes") in out.splitlines()
