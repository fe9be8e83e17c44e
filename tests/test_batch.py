"""A Bundle with validation errors is never written silently."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fhirsvc.batch import Batch
from fhirsvc.inputs import Source
from fhirsvc.outcome import Issue, Severity
from fhirsvc.pipeline import Conversion

BROKEN = Issue(Severity.ERROR, "required", "Bundle.type: missing", ("Bundle.type",))


class InvalidBundles:
    """Stands in for a converter that produced an invalid Bundle (the real one never has
    on any input tried, so the failure path needs one that does)."""

    def convert(self, text: str, name: str) -> Conversion:
        return Conversion(name, {"resourceType": "Bundle"}, (BROKEN,))


def test_invalid_bundle_is_written_with_its_outcome_beside_it_and_counted_failed(
        tmp_path: Path) -> None:
    report = tmp_path / "case.txt"
    report.write_text("A 45-year-old woman with fever.", encoding="utf-8")
    stderr = io.StringIO()
    tally = Batch(InvalidBundles(), tmp_path, stderr=stderr).run([Source(report)])  # type: ignore[arg-type]
    assert not tally.ok and tally.failed == 1
    outcome = json.loads((tmp_path / "case.outcome.json").read_text(encoding="utf-8"))
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["expression"] == ["Bundle.type"]
    assert (tmp_path / "case.json").is_file()
    assert stderr.getvalue() == (f"fhirsvc convert: {report}: the Bundle has 1 validation "
                                 f"error(s); see {tmp_path / 'case.outcome.json'}\n")


def test_a_stale_outcome_is_removed_once_the_bundle_is_valid(tmp_path: Path, converter) -> None:
    report = tmp_path / "case.txt"
    report.write_text("A 45-year-old woman with fever.", encoding="utf-8")
    (tmp_path / "case.outcome.json").write_text("{}", encoding="utf-8")
    assert Batch(converter, tmp_path, stderr=io.StringIO()).run([Source(report)]).ok
    assert not (tmp_path / "case.outcome.json").exists()


def test_two_inputs_with_one_name_do_not_overwrite_each_other(tmp_path: Path, converter) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "case.txt").write_text("A man of 40 with fever.", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    stderr = io.StringIO()
    tally = Batch(converter, out, stderr=stderr).run(
        [Source(tmp_path / "a" / "case.txt"), Source(tmp_path / "b" / "case.txt")])
    assert (tally.written, tally.failed) == (1, 1)
    assert "would overwrite" in stderr.getvalue()


def test_a_bundle_that_cannot_be_written_is_one_line_and_the_others_still_convert(
        tmp_path: Path, converter) -> None:
    for name in ("first", "second"):
        (tmp_path / f"{name}.txt").write_text("A man of 40 with fever.", encoding="utf-8")
    out = tmp_path / "out"
    (out / "first.json").mkdir(parents=True)  # a folder where the Bundle would go
    stderr = io.StringIO()
    tally = Batch(converter, out, stderr=stderr).run(
        [Source(tmp_path / "first.txt"), Source(tmp_path / "second.txt")])
    assert (tally.written, tally.failed) == (1, 1)
    [line] = stderr.getvalue().splitlines()
    assert line.startswith(f"fhirsvc convert: {tmp_path / 'first.txt'}: cannot write ")
    assert line.endswith(": Is a directory")
    assert (out / "second.json").is_file() and (out / "first.json").is_dir()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporary
