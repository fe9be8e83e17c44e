"""``fhirsvc serve``: loading files before serving (idempotent, per-file errors) and the
command itself, started as a subprocess and queried over HTTP."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from fhirsvc.errors import NotFound
from fhirsvc.server import ServerConfig
from fhirsvc.server.context import build_context
from fhirsvc.server.load import find_files, load_files
from fhirsvc.storage import open_store
from tests.storage.helpers import run_threads
from tests.storage.samples import condition, observation, patient


def transaction_file(folder: Path) -> Path:
    """A transaction Bundle whose entries refer to each other by urn:uuid."""
    subject = "urn:uuid:7d0c6f6e-1111-4a4a-9b9b-000000000001"
    new_patient = {k: v for k, v in patient().items() if k != "id"}
    new_condition = {**{k: v for k, v in condition().items() if k != "id"},
                     "subject": {"reference": subject}}
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": subject, "resource": new_patient, "request": {"method": "POST",
                                                                  "url": "Patient"}},
        {"fullUrl": "urn:uuid:7d0c6f6e-1111-4a4a-9b9b-000000000002",
         "resource": new_condition, "request": {"method": "POST", "url": "Condition"}},
    ]}
    path = folder / "case.json"
    path.write_text(json.dumps(bundle))
    return path


def test_loading_is_idempotent_and_rewrites_references(server, tmp_path):
    ctx = build_context(server.store, ServerConfig())
    files, missing = find_files([str(transaction_file(tmp_path))])
    assert missing == []
    first = load_files(ctx, files)
    again = load_files(ctx, files)
    assert (first.written, first.unchanged, first.errors) == (2, 0, [])
    assert (again.written, again.unchanged, again.errors) == (0, 2, [])
    stored = server.store.read("Condition", "7d0c6f6e-1111-4a4a-9b9b-000000000002")
    assert stored.resource["subject"]["reference"] == (
        "Patient/7d0c6f6e-1111-4a4a-9b9b-000000000001")
    assert stored.version == 1


def test_a_bad_file_is_named_and_stores_nothing_while_the_others_load(server, tmp_path):
    good = tmp_path / "good.ndjson"
    good.write_text("\n".join(json.dumps(r) for r in (patient(), observation())) + "\n")
    bad = tmp_path / "bad.ndjson"
    bad.write_text(json.dumps(patient("p9")) + "\n" +
                   json.dumps({**observation("o9"), "status": "guessed"}) + "\n")
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    files, _ = find_files([str(tmp_path)])
    report = load_files(build_context(server.store, ServerConfig()), files)
    assert report.written == 2
    assert sorted(Path(e.split(":")[0]).name for e in report.errors) == ["bad.ndjson",
                                                                         "broken.json"]
    assert any("not valid JSON" in e for e in report.errors)
    assert server.store.read("Observation", "o1").version == 1
    with pytest.raises(NotFound):
        server.store.read("Patient", "p9")


#: Files whose shape once escaped the loader's checks as a traceback, by what is wrong.
MALFORMED = {
    "fullUrl-number.json": {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": 5, "resource": patient("p8"), "request": {"method": "PUT",
                                                              "url": "Patient/p8"}}]},
    "request-string.json": {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"resource": patient("p8"), "request": "PUT"}]},
    "entry-object.json": {"resourceType": "Bundle", "type": "transaction", "entry": {}},
    "id-object.json": {**patient(), "id": {"value": "p8"}},
    "lone-surrogate.json": '{"resourceType": "Patient", "id": "p8", '
                           '"name": [{"text": "\\ud800"}]}',
    "nested.json": "[" * 100_000 + "]" * 100_000,
    "nested-extension.json": '{"resourceType": "Patient", "id": "p8", "extension": ['
                             + '{"url": "http://example.org/e", "extension": [' * 450
                             + '{"url": "http://example.org/e", "valueString": "x"}'
                             + "]}" * 450 + "]}",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_is_one_error_naming_it_and_stores_nothing(server, tmp_path, name):
    document = MALFORMED[name]
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    report = load_files(build_context(server.store, ServerConfig()), [path])
    [error] = report.errors
    assert error.startswith(f"{path}: ") and "\n" not in error
    assert report.written == 0
    with pytest.raises(NotFound):
        server.store.read("Patient", "p8")


def test_a_failed_file_names_its_errors_not_its_warnings(server, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**patient("p8"), "gender": "nope"}))
    [error] = load_files(build_context(server.store, ServerConfig()), [path]).errors
    assert "Patient.gender" in error
    assert "dom-6" not in error  # a warning (no narrative) is not why the file failed


def shared_device_files(folder: Path) -> list[Path]:
    """Two transaction Bundles that each PUT their own patient and one shared Device, as
    every Bundle ``fhirsvc convert`` writes PUTs fhirsvc's Device."""
    device = {"resourceType": "Device", "id": "d1", "deviceName": [
        {"name": "fhirsvc", "type": "user-friendly-name"}]}
    files = []
    for pid in ("p1", "p2"):
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource,
             "request": {"method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"}}
            for resource in (patient(pid), device)]}
        files.append(folder / f"{pid}.json")
        files[-1].write_text(json.dumps(bundle))
    return files


def test_a_resource_several_files_hold_is_counted_once_by_what_loading_did(server, tmp_path):
    ctx = build_context(server.store, ServerConfig())
    files = shared_device_files(tmp_path)
    first = load_files(ctx, files)
    assert first.stored.outcomes == {"Patient/p1": "created", "Patient/p2": "created",
                                     "Device/d1": "created"}
    assert first.summary() == "loaded 2 files: 3 resources (3 created, 0 updated, 0 unchanged)"
    bundle = json.loads(files[1].read_text())
    bundle["entry"][0]["resource"]["gender"] = "male"
    files[1].write_text(json.dumps(bundle))
    again = load_files(ctx, files)
    assert again.summary() == "loaded 2 files: 3 resources (0 created, 1 updated, 2 unchanged)"
    assert again.stored.outcomes["Patient/p2"] == "updated"


def test_a_transaction_with_deletes_counts_what_each_entry_did(server, tmp_path):
    for pid in ("gone", "kept"):
        server.store.update(patient(pid))
    bundle = tmp_path / "changes.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"request": {"method": "DELETE", "url": "Patient/gone"}},
        {"fullUrl": "urn:uuid:7d0c6f6e-1111-4a4a-9b9b-000000000003",
         "resource": {k: v for k, v in patient().items() if k != "id"},
         "request": {"method": "POST", "url": "Patient"}},
        {"resource": patient("kept", family="Later"),
         "request": {"method": "PUT", "url": "Patient/kept"}}]}))
    report = load_files(build_context(server.store, ServerConfig()), [bundle])
    assert report.errors == []
    [created] = [r for r, outcome in report.stored.outcomes.items() if outcome == "created"]
    assert report.stored.outcomes == {"Patient/gone": "deleted", created: "created",
                                      "Patient/kept": "updated"}
    assert report.summary() == ("loaded 1 file: 3 resources (1 created, 1 updated, "
                                "0 unchanged, 1 deleted)")


def test_a_batch_names_its_failed_entries_by_their_errors(server, tmp_path):
    bundle = tmp_path / "batch.json"
    writes = [{"resource": patient(pid, **extra),
               "request": {"method": "PUT", "url": f"Patient/{pid}"}}
              for pid, extra in (("b1", {}), ("b2", {"gender": "nope"}))]
    read = {"request": {"method": "GET", "url": "Patient/b1"}}  # so run as the batch it is
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "batch",
                                  "entry": [*writes, read]}))
    report = load_files(build_context(server.store, ServerConfig()), [bundle])
    [error] = report.errors
    assert error.startswith(f"{bundle}: 1 of the batch's entries failed (the others are "
                            "stored): entry[1]: 422 ")
    assert "Patient.gender" in error and "dom-6" not in error
    assert server.store.read("Patient", "b1").version == 1
    assert report.stored.outcomes == {"Patient/b1": "created"}  # counted though the file failed


def test_serve_names_a_file_that_fails_midway_keeps_the_others_and_does_not_serve(tmp_path):
    """A bad file after good ones: one line naming it and its problem, exit 1 before
    serving (a script must not take a half-loaded server for a whole one), and the files
    before and after it stay stored."""
    folder = tmp_path / "load"
    folder.mkdir()
    first, last = shared_device_files(folder)
    first.rename(folder / "1.json")
    (folder / "2.json").write_text('{"resourceType": "Bundle", "type": "transaction", "entry": [')
    (folder / "3.json").write_text(json.dumps({**observation("o9"), "status": "guessed"}))
    last.rename(folder / "4.json")
    database = tmp_path / "x.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "fhirsvc", "serve", "--port", str(free_port()), "--database",
         str(database), "--load", str(folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    said = [line for line in result.stderr.splitlines()
            if not line.startswith("fhirsvc serve: loading ")]
    assert said[0].startswith(f"fhirsvc serve: {folder / '2.json'}: not valid JSON: ")
    assert said[1].startswith(f"fhirsvc serve: {folder / '3.json'}: Observation.status: ")
    assert said[2:] == [
        "fhirsvc serve: loaded 2 of 4 files: 3 resources (3 created, 0 updated, 0 unchanged); "
        "2 files failed (named above)",
        "fhirsvc serve: not serving (what loaded stays stored; loading again writes only "
        "what changed)"]
    store = open_store(str(database))
    try:
        assert {r.reference for r in store.current()} == {"Device/d1", "Patient/p1",
                                                         "Patient/p2"}
    finally:
        store.close()


def test_serve_refuses_a_report_too_large_to_be_one_before_reading_it(tmp_path):
    """A 60 MB ``.txt`` is refused by its size as `fhirsvc convert` refuses it (a sparse file:
    read whole, it would be refused as binary instead), the other files still load, and
    the command exits 1 without serving."""
    from fhirsvc.extract import MAX_CHARS

    folder = tmp_path / "load"
    folder.mkdir()
    huge = folder / "huge.txt"
    with huge.open("wb") as sparse:
        sparse.truncate(60_000_000)
    (folder / "patient.json").write_text(json.dumps(patient("p1")))
    database = tmp_path / "x.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "fhirsvc", "serve", "--port", str(free_port()), "--database",
         str(database), "--load", str(folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    said = [line for line in result.stderr.splitlines()
            if not line.startswith("fhirsvc serve: loading ")]
    assert said == [
        f"fhirsvc serve: {huge}: too long for a case report: 60,000,000 bytes (at most "
        f"{MAX_CHARS:,} characters are read)",
        "fhirsvc serve: loaded 1 of 2 files: 1 resource (1 created, 0 updated, 0 unchanged); "
        "1 file failed (named above)",
        "fhirsvc serve: not serving (what loaded stays stored; loading again writes only "
        "what changed)"]
    store = open_store(str(database))
    try:
        assert [r.reference for r in store.current()] == ["Patient/p1"]
    finally:
        store.close()


def test_serve_says_in_one_line_when_the_database_fails_while_loading(
        tmp_path, monkeypatch, capsys):
    import sqlite3

    from fhirsvc import cli
    from fhirsvc.server import load

    def failing(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(load, "load_files", failing)
    database = tmp_path / "x.sqlite3"
    status = cli.main(["serve", "--database", str(database), "--port", str(free_port()),
                       "--load", str(transaction_file(tmp_path))])
    assert status == 1
    assert capsys.readouterr().err.strip() == (
        f"fhirsvc serve: the database {database} failed while loading the file named last: "
        "disk I/O error (the files before it are stored)")


def test_case_reports_are_converted_and_stored(server):
    seed = sorted(Path("seeds").glob("*.txt"))[0]
    ctx = build_context(server.store, ServerConfig())
    first = load_files(ctx, [seed])
    assert first.errors == [] and first.written > 0
    assert load_files(ctx, [seed]).written == 0


def test_a_report_loads_byte_for_byte_with_the_ids_fhirsvc_convert_gives(server, tmp_path):
    from fhirsvc.pipeline import Converter

    report = tmp_path / "crlf.txt"  # Windows line ends: kept, as every offset counts them
    report.write_bytes(b"A 45-year-old woman presented with fever.\r\n"
                       b"Her platelet count was 90 x 10^9/L.\r\n")
    assert load_files(build_context(server.store, ServerConfig()), [report]).errors == []
    bundle = Converter().convert(report.read_bytes().decode("utf-8"), "crlf").bundle
    [document] = [e["resource"] for e in bundle["entry"]
                  if e["resource"]["resourceType"] == "DocumentReference"]
    stored = server.store.read("DocumentReference", document["id"]).resource
    data = stored["content"][0]["attachment"]["data"]
    assert base64.b64decode(data) == report.read_bytes()


def test_a_bad_report_file_is_worded_as_fhirsvc_convert_words_it(server, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Fi\xe8vre".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)))
    files, _ = find_files([str(tmp_path)])
    report = load_files(build_context(server.store, ServerConfig()), files)
    assert sorted(report.errors) == [
        f"{tmp_path / 'binary.txt'}: not text (binary data: it contains NUL bytes)",
        f"{tmp_path / 'empty.txt'}: empty file",
        f"{tmp_path / 'latin1.txt'}: not UTF-8 (byte 0xe8 at offset 2)"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_command_loads_then_serves_over_http(tmp_path):
    port = free_port()
    database = tmp_path / "served.sqlite3"
    command = [sys.executable, "-m", "fhirsvc", "serve", "--port", str(port),
               "--database", str(database), "--load", str(transaction_file(tmp_path))]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}/fhir"
        wait_until_up(base, process)
        metadata = requests.get(f"{base}/metadata")
        assert metadata.json()["fhirVersion"] == "4.0.1"
        found = requests.get(f"{base}/Condition", params={"_include": "Condition:subject"})
        assert {e["resource"]["resourceType"] for e in found.json()["entry"]} == {
            "Condition", "Patient"}
    finally:
        errors = stop(process)
    assert "loaded 1 file: 2 resources (2 created, 0 updated, 0 unchanged)" in errors


def test_serve_refuses_a_missing_load_path(tmp_path):
    result = subprocess.run([sys.executable, "-m", "fhirsvc", "serve", "--database",
                             str(tmp_path / "x.sqlite3"), "--load", str(tmp_path / "nope")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "nope: no such file or folder" in result.stderr


def test_serve_says_standard_input_cannot_be_loaded_rather_than_that_it_is_missing(
        tmp_path):
    result = subprocess.run([sys.executable, "-m", "fhirsvc", "serve", "--database",
                             str(tmp_path / "x.sqlite3"), "--load", "-"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("fhirsvc serve: -: standard input cannot be loaded: ")
    assert "no such file" not in result.stderr and result.stderr.count("\n") == 1


def test_serve_says_in_one_line_that_its_port_is_taken_before_loading(tmp_path):
    cache = tmp_path / "cache"  # an empty terminology cache: loading or checking codes fills it
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "fhirsvc", "serve", "--port", str(port), "--database",
             str(tmp_path / "x.sqlite3"), "--load", str(transaction_file(tmp_path))],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "FHIRSVC_CACHE_DIR": str(cache)})
    assert not cache.exists(), "the terminology was built before the port was checked"
    assert result.returncode == 2
    assert result.stderr.strip() == (f"fhirsvc serve: cannot listen on 127.0.0.1:{port}: "
                                     "Address already in use (another server there? "
                                     "choose one with --port)")


def test_serve_says_when_its_host_is_not_an_address_here(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "fhirsvc", "serve", "--host", "no-such-host.invalid",
         "--database", str(tmp_path / "x.sqlite3")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("fhirsvc serve: cannot listen on no-such-host.invalid:8080: ")
    assert line.endswith("(not an address of this machine? choose one with --host)")


def test_serve_refuses_connections_while_it_loads(tmp_path):
    """Clients are refused, not left hanging, until the loaded resources can be served."""
    seed = sorted(Path("seeds").glob("*.txt"))[0]
    for number in range(12):  # a load of some seconds
        (tmp_path / f"case{number:02}.txt").write_bytes(seed.read_bytes())
    port = free_port()
    command = [sys.executable, "-m", "fhirsvc", "serve", "--port", str(port), "--database",
               str(tmp_path / "x.sqlite3"), "--load", str(tmp_path)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               start_new_session=True)
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        assert first.startswith("fhirsvc serve: loading "), first
        with pytest.raises(ConnectionRefusedError), socket.socket() as client:
            client.connect(("127.0.0.1", port))
        wait_until_up(f"http://127.0.0.1:{port}/fhir", process)
    finally:
        errors = stop(process)
    assert "loaded 12 files: " in errors and "failed" not in errors


def test_serve_opens_fhirsvc_database_when_no_database_is_given(tmp_path):
    """``fhirsvc serve`` reads the production command's FHIRSVC_DATABASE too."""
    database = tmp_path / "from-env.sqlite3"
    with socket.socket() as taken:  # a port in use ends the command once the store is open
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = subprocess.run(
            [sys.executable, "-m", "fhirsvc", "serve", "--port", str(taken.getsockname()[1])],
            capture_output=True, text=True, timeout=120, cwd=tmp_path,
            env={**os.environ, "FHIRSVC_DATABASE": str(database)})
    assert result.returncode == 2 and "cannot listen" in result.stderr
    assert database.is_file()
    assert not (tmp_path / "data").exists()


def test_serve_names_an_unreadable_setting(tmp_path):
    result = subprocess.run([sys.executable, "-m", "fhirsvc", "serve", "--database",
                             str(tmp_path / "x.sqlite3")], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "FHIRSVC_MAX_BODY_BYTES": "16M"})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "fhirsvc serve: FHIRSVC_MAX_BODY_BYTES='16M' is not a number of bytes")


def stop(process: subprocess.Popen[str]) -> str:
    """Stop a server and every worker it started (its own session), killing what does not
    stop in time, so a failed test leaves no process behind; returns its stderr."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.communicate()[1]


def wait_until_up(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            requests.get(f"{base}/metadata", timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            assert process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)


#: The README's production command (granian) and the gunicorn one it keeps working.
PRODUCTION_COMMANDS = {
    "granian": ["-m", "granian", "--interface", "wsgi", "--workers", "2", "--blocking-threads",
                "4", "--host", "127.0.0.1", "--port", "{port}", "--factory",
                "fhirsvc.server:create_app"],
    "gunicorn": ["-m", "gunicorn", "--workers", "2", "--threads", "4", "--bind",
                 "127.0.0.1:{port}", "fhirsvc.server:create_app()"],
}


@pytest.mark.parametrize("server", sorted(PRODUCTION_COMMANDS))
def test_production_workers_share_one_sqlite_database(server, tmp_path):
    """The README's production command: several processes, one database, no lost write."""
    port = free_port()
    env = {**os.environ, "FHIRSVC_DATABASE": str(tmp_path / "shared.sqlite3")}
    command = [arg.format(port=port) for arg in PRODUCTION_COMMANDS[server]]
    process = subprocess.Popen([sys.executable, *command], env=env, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}/fhir"
    try:
        wait_until_up(base, process)

        def write(index: int) -> None:
            response = requests.put(f"{base}/Patient/p{index}", json=patient(f"p{index}"),
                                    timeout=30)
            assert response.status_code == 201, response.text

        errors = run_threads(write, 12)
        assert errors == []
        total = requests.get(f"{base}/Patient", params={"_total": "accurate"}).json()["total"]
        assert total == 12
    finally:
        stop(process)


@pytest.mark.parametrize("server", sorted(PRODUCTION_COMMANDS))
@pytest.mark.parametrize(("setting", "said"), [
    ("FHIRSVC_DATABASE", "fhirsvc: cannot open the database {tmp} (FHIRSVC_DATABASE): "),
    ("FHIRSVC_MAX_BODY_BYTES", "fhirsvc: FHIRSVC_MAX_BODY_BYTES='{tmp}' is not a number"),
])
def test_production_workers_that_cannot_start_say_why_in_one_line_and_stop(
        server, tmp_path, setting, said):
    """A database that cannot be opened (here a folder) or a setting that cannot be read
    stops the production command with one line per worker, not a traceback in each (when
    two gunicorn workers fail at once its arbiter may print a traceback of its own)."""
    port = free_port()
    command = [arg.format(port=port) for arg in PRODUCTION_COMMANDS[server]]
    result = subprocess.run([sys.executable, *command], capture_output=True, text=True,
                            timeout=120, env={**os.environ, setting: str(tmp_path)})
    assert result.returncode != 0
    assert 'fhirsvc/server/' not in result.stderr, result.stderr  # no frame of ours
    assert said.format(tmp=tmp_path) in result.stderr, result.stderr


def test_an_unreadable_report_is_named_and_stores_nothing(server, tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    report = load_files(build_context(server.store, ServerConfig()), [binary])
    assert report.written == 0
    assert len(report.errors) == 1 and report.errors[0].startswith(str(binary))
    assert "not text" in report.errors[0]  # worded as fhirsvc convert words it


def serve_until_up(tmp_path: Path, *load: str) -> str:
    """Run ``fhirsvc serve --load LOAD...`` on a fresh database until it serves; its stderr."""
    port = free_port()
    command = [sys.executable, "-m", "fhirsvc", "serve", "--port", str(port), "--database",
               str(tmp_path / "x.sqlite3"), "--load", *load]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/fhir", process)
    finally:
        errors = stop(process)
    return errors


def test_serve_loads_a_file_named_twice_once(tmp_path):
    """A file named directly and again through its folder (or by another spelling of its
    path) is read and counted once, as ``fhirsvc validate`` and ``convert`` do."""
    folder = tmp_path / "out"
    folder.mkdir()
    bundle = transaction_file(folder)
    errors = serve_until_up(tmp_path, str(folder), str(bundle), str(bundle.resolve()),
                            f"{folder}/./{bundle.name}")
    assert errors.count("fhirsvc serve: loading ") == 1, errors
    assert "loaded 1 file: 2 resources (2 created, 0 updated, 0 unchanged)" in errors


@pytest.mark.parametrize(("database", "said"), [
    ("{tmp}/afile/x.sqlite3", "cannot make its folder {tmp}/afile: a file is in the way"),
    ("{tmp}/afile", "file is not a database"),
    ("{tmp}", "{tmp} is a folder, not a database file"),
    ("/proc/fhirsvc.sqlite3", "cannot create /proc/fhirsvc.sqlite3 (no permission to write in "
                              "/proc, or a read-only file system?)"),
    ("postgresql://postgres@127.0.0.1:1/none", "connection failed: "),
])
def test_serve_says_in_one_line_why_its_database_cannot_be_opened(tmp_path, database, said):
    (tmp_path / "afile").write_text("not a database\n" * 100)
    database = database.format(tmp=tmp_path)
    result = subprocess.run([sys.executable, "-m", "fhirsvc", "serve", "--database", database,
                             "--port", str(free_port())], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"fhirsvc serve: cannot open the database {database}: "), line
    assert said.format(tmp=tmp_path) in line


def _plain_bundle(kind: str, *entries: tuple[str | None, dict]) -> dict:
    """A Bundle of ``kind`` (collection, searchset) carrying ``entries`` (fullUrl, resource)."""
    return {"resourceType": "Bundle", "type": kind, "entry": [
        {**({"fullUrl": url} if url else {}), "resource": resource,
         **({"search": {"mode": "match"}} if kind == "searchset" else {})}
        for url, resource in entries]}


@pytest.mark.parametrize("kind", ["collection", "searchset"])
def test_a_plain_bundle_repeating_a_fullurl_is_refused_by_name_and_stores_nothing(
        server, tmp_path, kind):
    """A fullUrl names one entry (bdl-7): two entries under one would leave a reference to
    it naming either, and storing both would keep the last as if the first had not been
    there. The file is named with the two entries, nothing of it is stored, and a good
    file beside it loads."""
    url = "urn:uuid:7d0c3b1e-6a52-4f0e-9d51-2b8f6c3e1a40"
    bad = tmp_path / "repeated.json"
    bad.write_text(json.dumps(_plain_bundle(
        kind, (url, patient("p1")), (url, patient("p2", family="Other")),
        (None, {**condition("c1", "p1"), "subject": {"reference": url}}))))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_plain_bundle(kind, (None, patient("p3")))))
    report = load_files(build_context(server.store, ServerConfig()), [bad, good])
    [error] = report.errors
    assert error.startswith(f"{bad}: ") and url in error
    assert "Bundle.entry[1]" in error and "Bundle.entry[0]" in error
    assert [s.reference for s in server.store.current()] == ["Patient/p3"]


def test_a_plain_bundle_holding_one_resource_twice_stores_it_once_or_refuses_two_contents(
        server, tmp_path):
    """Two entries that are one ``Type/id``: stored once when they are the same, refused
    by name when their contents differ (which one is the resource is not said)."""
    same = tmp_path / "same.json"
    same.write_text(json.dumps(_plain_bundle("collection", (None, patient("p1")),
                                             (None, patient("p1")))))
    ctx = build_context(server.store, ServerConfig())
    report = load_files(ctx, [same])
    assert report.errors == [] and report.stored.count("created") == 1
    assert server.store.history("Patient", "p1").total == 1  # one version, not two
    differing = tmp_path / "differing.json"
    differing.write_text(json.dumps(_plain_bundle(
        "collection", (None, patient("p2")), (None, patient("p2", family="Other")))))
    [error] = load_files(ctx, [differing]).errors
    assert error.startswith(f"{differing}: ") and "Patient/p2" in error
    assert sorted(s.reference for s in server.store.current()) == ["Patient/p1"]


def test_a_saved_searchset_loads_its_matches_and_leaves_out_the_servers_outcome(
        server, tmp_path):
    """A searchset saved from a search is the resources it found: they are stored, and its
    ``search.mode = outcome`` entry (the server's words about the search) is not."""
    bundle = _plain_bundle("searchset", ("urn:uuid:0b6f2a0e-3c1d-4e8f-9a7b-5c4d3e2f1a00",
                                         patient("p1")))
    bundle["entry"].append({"resource": {"resourceType": "OperationOutcome", "issue": [
        {"severity": "warning", "code": "not-supported", "diagnostics": "ignored"}]},
        "search": {"mode": "outcome"}})
    path = tmp_path / "found.json"
    path.write_text(json.dumps(bundle))
    report = load_files(build_context(server.store, ServerConfig()), [path])
    assert report.errors == []
    assert [s.reference for s in server.store.current()] == ["Patient/p1"]
