"""``fhirsvc export`` as a user runs it: a subprocess on a real database, and its errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fhirsvc.storage import open_store
from tests.storage.conftest import pg_schema, postgres_url, with_schema
from tests.storage.samples import condition, patient

__all__ = ["pg_schema"]  # the fixture, for the PostgreSQL cases

ROOT = Path(__file__).resolve().parents[1]


def export(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fhirsvc", "export", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "fhirsvc.sqlite3"  # the default file's name
    store = open_store(str(path))
    for resource in (patient("p2"), patient("p1"), condition("c1", "p1")):
        store.update(resource)
    store.close()
    return path


def test_export_writes_ndjson_per_type_and_says_what_it_wrote(database: Path,
                                                              tmp_path: Path) -> None:
    run = export("--database", f"sqlite:///{database}", "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["Condition.ndjson",
                                                                   "Patient.ndjson"]
    ids = [json.loads(line)["id"] for line in
           (tmp_path / "out" / "Patient.ndjson").read_text().splitlines()]
    assert ids == ["p1", "p2"]
    assert run.stderr.strip().splitlines() == [
        f"fhirsvc export: 3 resources (Condition 1, Patient 2) written to {tmp_path / 'out'}"]
    assert run.stdout == ""


def test_export_of_chosen_types_as_one_bundle(database: Path, tmp_path: Path) -> None:
    run = export("--database", str(database), "--out", str(tmp_path), "--format", "bundle",
                 "--type", "Patient,Procedure")
    assert run.returncode == 0, run.stderr
    bundle = json.loads((tmp_path / "export.json").read_text())
    assert [e["resource"]["id"] for e in bundle["entry"]] == ["p1", "p2"]


def test_export_reads_the_default_database_as_serve_does(database: Path, tmp_path: Path) -> None:
    run = export("--out", str(tmp_path / "out"), env={"FHIRSVC_DATA": str(database.parent),
                                                       "FHIRSVC_DATABASE": ""})
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "Condition.ndjson").is_file()
    run = export("--out", str(tmp_path / "out2"), env={"FHIRSVC_DATABASE": str(database)})
    assert (run.returncode, (tmp_path / "out2" / "Patient.ndjson").is_file()) == (0, True)


@pytest.mark.parametrize(("args", "said"), [
    (["--database", "{tmp}/typo.sqlite3"], "cannot open the database {tmp}/typo.sqlite3: "
                                           "no such file {tmp}/typo.sqlite3"),
    (["--database", "{tmp}"], "cannot open the database {tmp}: {tmp} is a folder, not a "
                              "database file"),
    (["--database", "mysql://db/x"], "cannot open the database mysql://db/x: unsupported "
                                     "database URL"),
    (["--database", "postgresql://postgres@127.0.0.1:1/none"],
     "cannot open the database postgresql://postgres@127.0.0.1:1/none: "),
    (["--type", "Patinet"], "--type Patinet: not a resource type fhirsvc stores"),
    (["--out", "{db}"], "--out {db}: cannot make the folder: "),
])
def test_a_bad_database_type_or_out_is_one_line_naming_it_exit_2(
        database: Path, tmp_path: Path, args: list[str], said: str) -> None:
    given = {"--database": str(database), "--out": str(tmp_path / "out")}
    given.update(zip(args[::2], args[1::2], strict=True))
    fill = {"tmp": str(tmp_path), "db": str(database)}
    run = export(*(item.format(**fill) for pair in given.items() for item in pair))
    assert run.returncode == 2
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"fhirsvc export: {said.format(**fill)}")
    assert not (tmp_path / "typo.sqlite3").exists()  # a mistyped path makes no database
    assert not (tmp_path / "out").exists()


def test_out_is_required() -> None:
    run = export()
    assert run.returncode == 2 and "--out" in run.stderr


def test_a_file_that_cannot_be_written_is_one_line_exit_1(database: Path, tmp_path: Path) -> None:
    (tmp_path / "Patient.ndjson").mkdir()  # in the way of the Patient file
    run = export("--database", str(database), "--out", str(tmp_path))
    assert run.returncode == 1
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"fhirsvc export: --out {tmp_path}: cannot write ")
    assert "Patient.ndjson" in line
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _one_line_naming_the_database(run: subprocess.CompletedProcess[str], name: str,
                                  problem: str) -> None:
    assert run.returncode == 1, run.stderr
    [line] = run.stderr.strip().splitlines()  # no traceback
    assert line.startswith(f"fhirsvc export: the database {name} failed while reading: "), line
    assert problem in line


def test_a_database_failing_midway_is_one_line_and_leaves_out_as_it_was(tmp_path: Path) -> None:
    """A row that cannot be read (a damaged file) after a full batch of another type has
    been written: one line, exit 1, and not even the complete type's file is left."""
    import sqlite3

    path = tmp_path / "damaged.sqlite3"
    store = open_store(str(path))
    store.load([condition(f"c{n:03}", "p1") for n in range(600)] + [patient("p1")])
    store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE resource SET content = CAST(X'ff00' AS TEXT) WHERE id = 'p1'")
    out = tmp_path / "out"
    out.mkdir()
    (out / "Condition.ndjson").write_text("earlier\n")
    _one_line_naming_the_database(export("--database", str(path), "--out", str(out)),
                                  str(path), "UTF-8")
    assert [p.name for p in out.iterdir()] == ["Condition.ndjson"]
    assert (out / "Condition.ndjson").read_text() == "earlier\n"


@pytest.mark.parametrize("failure", ["connection ended", "schema dropped"])
def test_a_postgresql_failure_during_export_is_one_line(pg_schema: str, tmp_path: Path,
                                                        failure: str) -> None:
    """The export is held at its first read by a lock, then its connection is ended (a
    server restarting) or its tables dropped under it (the lock holder's transaction)."""
    import psycopg

    schema = f"{pg_schema}_export_failure"
    url = with_schema(postgres_url() or "", schema)
    store = open_store(url)
    store.update(patient("p1"))
    store.close()
    out = tmp_path / "out"
    with psycopg.connect(postgres_url() or "") as holder:
        holder.execute(f'LOCK TABLE "{schema}".resource IN ACCESS EXCLUSIVE MODE')
        process = subprocess.Popen(
            [sys.executable, "-m", "fhirsvc", "export", "--database", url, "--out", str(out)],
            stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "PGAPPNAME": schema})
        with psycopg.connect(postgres_url() or "", autocommit=True) as watcher:
            pid = _waiting_backend(watcher, schema, process)
            if failure == "connection ended":
                watcher.execute("SELECT pg_terminate_backend(%s)", (pid,))
            else:
                holder.execute(f'DROP SCHEMA "{schema}" CASCADE')
        holder.commit()
        stderr = process.communicate(timeout=120)[1]
    run = subprocess.CompletedProcess(process.args, process.returncode, "", stderr)
    _one_line_naming_the_database(run, url, "")
    assert list(out.iterdir()) == []


def _waiting_backend(watcher: object, application: str,
                     process: subprocess.Popen[str]) -> int:
    """The PostgreSQL backend pid of the export, once it waits for the lock."""
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        row = watcher.execute(  # type: ignore[attr-defined]
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
            "AND wait_event_type = 'Lock'", (application,)).fetchone()
        if row:
            return int(row[0])
        time.sleep(0.1)
    raise AssertionError("the export never waited for the lock")


def readme_export_commands() -> list[list[str]]:
    """The README's export examples, as a user would type them (comments dropped), but
    the PostgreSQL one, whose server is the reader's."""
    import shlex

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Export (`fhirsvc export`)", 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for line in section.splitlines() if line.startswith("    fhirsvc ")]
    return [shlex.split(line.split("  #", 1)[0]) for line in lines if "postgresql://" not in line]


def test_the_readme_export_examples_load_back_each_resource_once(tmp_path: Path) -> None:
    """Run in order in one folder, the README's examples export both forms and load them
    back: the load must find each resource once, not once per form written."""
    from tests.server.test_serve import free_port, stop, wait_until_up

    store = open_store(str(tmp_path / "data" / "fhirsvc.sqlite3"))  # the default database
    for resource in (patient("p1"), condition("c1", "p1")):
        store.update(resource)
    store.close()
    *exports, serve = readme_export_commands()
    assert [command[:2] for command in exports] == [["fhirsvc", "export"]] * len(exports)
    environment = {**os.environ, "FHIRSVC_DATABASE": "", "FHIRSVC_DATA": ""}
    for command in exports:
        run = subprocess.run([sys.executable, "-m", "fhirsvc", *command[1:]], cwd=tmp_path,
                             capture_output=True, text=True, timeout=300, env=environment)
        assert run.returncode == 0, (command, run.stderr)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "fhirsvc", *serve[1:], "--port", str(port)],
                               cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                               env={**environment, "PYTHONUNBUFFERED": "1"},
                               start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/fhir", process)
    finally:
        stderr = stop(process)
    assert "2 resources (2 created, 0 updated, 0 unchanged)" in stderr, stderr
