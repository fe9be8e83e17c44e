"""``fhirsvc convert`` as a user runs it: a subprocess, files and folders, bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fhirsvc.cli import note_terminology_build

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
REPORT = ("A 45-year-old woman presented with fever and no cough. "
          "Her platelet count was 90 x 10^9/L.\n")


def convert(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fhirsvc", "convert", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def seeds_out(
        tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("out")
    return out, convert(str(SEEDS), "--out", str(out))


def test_convert_seeds_folder_writes_one_valid_bundle_per_report(seeds_out) -> None:
    out, run = seeds_out
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{p.stem}.json" for p in SEEDS.glob("*.txt"))
    for path in out.iterdir():
        bundle = json.loads(path.read_text(encoding="utf-8"))
        assert bundle["resourceType"] == "Bundle" and bundle["type"] == "transaction"
    validated = subprocess.run([sys.executable, "-m", "fhirsvc", "validate", str(out),
                                "--fhirsvc-profiles"], capture_output=True, text=True, cwd=ROOT)
    assert validated.returncode == 0, validated.stdout


def test_stdin_dash_writes_the_bundle_to_stdout() -> None:
    run = convert("-", stdin=REPORT)
    assert run.returncode == 0, run.stderr
    bundle = json.loads(run.stdout)
    types = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert types[0] == "DocumentReference" and "Patient" in types and types[-1] == "Provenance"


def test_collection_bundle_type_has_no_requests() -> None:
    run = convert("-", "--bundle-type", "collection", stdin=REPORT)
    bundle = json.loads(run.stdout)
    assert bundle["type"] == "collection"
    assert all("request" not in entry for entry in bundle["entry"])


def test_bad_files_get_one_line_each_and_the_good_files_still_convert(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "latin1.txt").write_bytes("Fi\xe8vre chez un homme de 40 ans".encode("latin-1"))
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (inputs / "good.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    run = convert(str(inputs), "--out", str(out))
    assert run.returncode == 1
    lines = [line for line in run.stderr.splitlines() if line.startswith("fhirsvc convert: ")]
    problems = {Path(line.split(": ")[1]).name: line for line in lines[:-1]}
    assert set(problems) == {"empty.txt", "latin1.txt", "binary.txt"}
    assert "empty" in problems["empty.txt"]
    assert "not UTF-8" in problems["latin1.txt"]
    assert "not text" in problems["binary.txt"]
    assert "Traceback" not in run.stderr
    assert [p.name for p in out.iterdir()] == ["good.json"]


def test_a_report_too_long_to_read_is_one_line_naming_the_file_and_the_limit(
        tmp_path: Path) -> None:
    from fhirsvc.extract import MAX_CHARS

    huge = tmp_path / "huge report.txt"
    huge.write_text(REPORT * (MAX_CHARS // len(REPORT) + 1), encoding="utf-8")
    run = convert(str(huge), "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    [line, tally] = run.stderr.splitlines()
    assert line == (f"fhirsvc convert: {huge}: too long for a case report: "
                    f"{huge.stat().st_size:,} characters (at most {MAX_CHARS:,} are read)")
    assert tally == "fhirsvc convert: 0 Bundle(s) written, 1 failed"


def test_a_file_too_large_to_be_a_report_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from fhirsvc.extract import MAX_CHARS

    huge = tmp_path / "huge.txt"
    with huge.open("wb") as sparse:  # no disk used: refused by its size alone
        sparse.truncate(4 * MAX_CHARS + 1)
    run = convert(str(huge), "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == (
        f"fhirsvc convert: {huge}: too long for a case report: {4 * MAX_CHARS + 1:,} bytes "
        f"(at most {MAX_CHARS:,} characters are read)")


def test_standard_input_too_large_to_be_a_report_is_refused_after_the_limit(
        tmp_path: Path) -> None:
    """A pipe has no size to look at: what is read stops one byte past the limit."""
    from fhirsvc.extract import MAX_CHARS

    run = convert("-", stdin="a" * (4 * MAX_CHARS + 10))
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == (
        f"fhirsvc convert: <stdin>: too long for a case report: more than "
        f"{4 * MAX_CHARS:,} bytes (at most {MAX_CHARS:,} characters are read)")
    assert run.stdout == ""


def test_a_bundle_given_back_to_convert_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """A JSON document is not a report: converting its text would give a Bundle about
    nobody (here it would replace the Bundle of the same name in --out)."""
    first = convert("-", stdin=REPORT)
    bundle, out = tmp_path / "case.json", tmp_path / "out"
    bundle.write_text(first.stdout, encoding="utf-8")
    out.mkdir()
    (out / "case.json").write_text(first.stdout, encoding="utf-8")
    run = convert(str(bundle), "--out", str(out))
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == (
        f"fhirsvc convert: {bundle}: a JSON document, not a case report (fhirsvc validate "
        "and fhirsvc serve --load read FHIR JSON)")
    assert (out / "case.json").read_text(encoding="utf-8") == first.stdout
    assert [p.name for p in out.iterdir()] == ["case.json"]


def test_a_report_whose_bundle_would_replace_it_is_refused_and_kept(tmp_path: Path) -> None:
    report = tmp_path / "case.json"  # a report under a .json name, converted in place
    report.write_text(REPORT, encoding="utf-8")
    run = convert(str(report), "--out", str(tmp_path))
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == (f"fhirsvc convert: {report}: its Bundle would "
                                          "overwrite the file itself; give another --out")
    assert report.read_text(encoding="utf-8") == REPORT


def test_missing_path_is_a_usage_error() -> None:
    run = convert("no/such/file.txt", "--out", "/tmp/never")
    assert run.returncode == 2
    assert run.stderr.strip() == "fhirsvc convert: no/such/file.txt: no such file or folder"


def test_files_without_out_folder_is_a_usage_error() -> None:
    run = convert(str(SEEDS))
    assert run.returncode == 2
    assert "--out" in run.stderr


def test_a_folder_without_reports_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("no report here", encoding="utf-8")
    run = convert(str(tmp_path), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert run.stderr.strip() == f"fhirsvc convert: no *.txt files in {tmp_path}"


def test_an_out_folder_that_cannot_be_made_is_one_line_naming_it(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    run = convert(str(report), "--out", str(report))
    assert run.returncode == 2
    assert run.stderr.startswith(f"fhirsvc convert: --out {report}: cannot make the folder")
    assert len(run.stderr.splitlines()) == 1


def test_a_terminal_is_told_that_the_first_run_builds_the_terminology(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FHIRSVC_CACHE_DIR", str(tmp_path))  # an empty cache
    monkeypatch.delenv("FHIRSVC_NO_CACHE", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    note_terminology_build("convert")
    assert capsys.readouterr().err.startswith("fhirsvc convert: building the terminology (once")
    monkeypatch.setenv("FHIRSVC_NO_CACHE", "1")  # built every run, by choice: no note
    note_terminology_build("convert")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)  # a pipe or a script: no note
    monkeypatch.delenv("FHIRSVC_NO_CACHE")
    note_terminology_build("convert")
    assert capsys.readouterr().err == ""


def test_stdin_with_out_is_refused_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    run = convert("-", "--out", str(tmp_path / "out"), stdin=REPORT)
    assert run.returncode == 2 and run.stdout == ""
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("fhirsvc convert: - writes its Bundle to standard output, not to --out")
    assert not (tmp_path / "out").exists()


def test_a_leading_byte_order_mark_is_not_part_of_the_report(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "bom").mkdir()
    (tmp_path / "plain" / "case.txt").write_bytes(REPORT.encode())
    (tmp_path / "bom" / "case.txt").write_bytes(b"\xef\xbb\xbf" + REPORT.encode())
    runs = [convert(str(tmp_path / kind / "case.txt"), "--out", str(tmp_path / kind))
            for kind in ("plain", "bom")]
    assert [run.returncode for run in runs] == [0, 0], runs[1].stderr
    plain, bom = ((tmp_path / kind / "case.json").read_bytes() for kind in ("plain", "bom"))
    assert bom == plain


def test_a_file_holding_only_a_byte_order_mark_is_empty(tmp_path: Path) -> None:
    (tmp_path / "mark.txt").write_bytes(b"\xef\xbb\xbf")
    run = convert(str(tmp_path / "mark.txt"), "--out", str(tmp_path))
    assert run.returncode == 1
    assert "mark.txt: empty file" in run.stderr


def test_no_command_prints_the_help_and_exits_2() -> None:
    run = subprocess.run([sys.executable, "-m", "fhirsvc"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert run.returncode == 2
    assert run.stderr.startswith("usage: fhirsvc")
    assert all(name in run.stderr for name in ("convert", "validate", "serve", "export"))
