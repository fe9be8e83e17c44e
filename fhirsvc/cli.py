"""The ``fhirsvc`` command line: convert, validate, serve, export.

Each sub-command is a thin shell over a stage's public function; problems with a
file are reported as one line naming the file, and the exit status says whether
everything succeeded (0), some input failed (1), or the command was misused (2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fhirsvc import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from fhirsvc.export import ExportTally
    from fhirsvc.server.context import Context
    from fhirsvc.storage import SqlStore

DATABASE_HELP = ("sqlite:///path, a file path or postgresql://user@host/db (default: "
                 "$FHIRSVC_DATABASE, else ./data/fhirsvc.sqlite3 or $FHIRSVC_DATA/fhirsvc.sqlite3)")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fhirsvc",
        description="Case reports in, coded and validated FHIR R4 (4.0.1) resources out.",
    )
    parser.add_argument("--version", action="version", version=f"fhirsvc {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    convert = commands.add_parser(
        "convert", help="turn case reports (*.txt) into FHIR R4 Bundles"
    )
    convert.add_argument("paths", nargs="+", metavar="PATH",
                         help="files, folders (their *.txt, not subfolders'), or - for stdin")
    convert.add_argument("--out", metavar="DIR",
                         help="folder for <name>.json (required for files; not with -, "
                              "which writes to stdout)")
    convert.add_argument(
        "--bundle-type",
        choices=("transaction", "collection"),
        default="transaction",
        help="transaction (default: PUT Type/id entries, idempotent to load) or collection",
    )
    convert.add_argument(
        "--validation",
        choices=("full", "structure"),
        default="full",
        help="full (default: every R4 layer and fhirsvc's profiles) or structure (R4 "
             "structure only: the whole conversion about 3x faster)",
    )
    convert.set_defaults(handler=_convert)

    validate = commands.add_parser("validate", help="validate FHIR R4 JSON resources or Bundles")
    validate.add_argument("paths", nargs="+", metavar="PATH",
                          help="files, folders of *.json and *.ndjson (one resource a "
                               "line, as fhirsvc export writes), or - for stdin")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="text: one line per issue (default); json: OperationOutcomes")
    validate.add_argument("--fhirsvc-profiles", action="store_true",
                          help="also hold every resource to fhirsvc's own profiles (conformance/)")
    validate.set_defaults(handler=_validate)

    serve = commands.add_parser("serve", help="serve stored resources over FHIR REST")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 listens on all)")
    serve.add_argument("--port", type=int, default=8080, help="(default 8080)")
    serve.add_argument("--database", metavar="URL", help=DATABASE_HELP)
    serve.add_argument("--load", nargs="+", default=[], metavar="PATH",
                       help="case reports, Bundles or NDJSON (files, or folders searched "
                            "recursively) to store before serving; when one fails, the others "
                            "are stored and the command exits 1 without serving")
    serve.set_defaults(handler=_serve)

    export = commands.add_parser(
        "export", help="write the stored resources as NDJSON per type or one Bundle")
    export.add_argument("--database", metavar="URL", help=DATABASE_HELP)
    export.add_argument("--out", metavar="DIR", required=True,
                        help="folder for <Type>.ndjson (or export.json with --format bundle)")
    export.add_argument("--type", dest="types", action="extend", nargs="+", metavar="TYPE",
                        help="only these resource types (default: all), e.g. --type Patient "
                             "Condition or --type Patient,Condition")
    export.add_argument("--format", choices=("ndjson", "bundle"), default="ndjson",
                        help="ndjson (default: one <Type>.ndjson per type, one resource a "
                             "line, as FHIR Bulk Data) or bundle (one collection Bundle)")
    export.set_defaults(handler=_export)
    return parser


def _nothing_to_do(command: str, paths: Sequence[str], missing: list[str], found: bool,
                   pattern: str) -> bool:
    """Say which paths name nothing (or where no file was found); True means exit 2."""
    for name in missing:
        print(f"fhirsvc {command}: {name}: no such file or folder", file=sys.stderr)
    if not missing and not found:
        print(f"fhirsvc {command}: no {pattern} files in {', '.join(paths)}", file=sys.stderr)
    return bool(missing) or not found


def make_out(command: str, out: Path) -> bool:
    """Make the ``--out`` folder; False after saying in one line why it cannot be made."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file of that name, no permission
        print(f"fhirsvc {command}: --out {out}: cannot make the folder: "
              f"{error.strerror or error}", file=sys.stderr)
        return False
    return True


def note_terminology_build(command: str) -> None:
    """On a terminal, say why the first run is quiet for a while (the terminology is built
    once, then read from the user's cache); scripts and pipes get no such line."""
    from fhirsvc.terminology.loader import will_build

    if sys.stderr.isatty() and will_build():
        print(f"fhirsvc {command}: building the terminology (once: about 15 s of CPU; "
              "later runs read it from the cache)", file=sys.stderr)


def _convert(args: argparse.Namespace) -> int:
    import os
    from datetime import UTC, datetime
    from pathlib import Path

    from fhirsvc.batch import Batch
    from fhirsvc.inputs import find_sources
    from fhirsvc.mappers import DEFAULT_RECORDED
    from fhirsvc.pipeline import Converter

    sources, missing = find_sources(args.paths)
    if _nothing_to_do("convert", args.paths, missing, bool(sources), "*.txt"):
        return 2
    if args.out is None and any(source.path for source in sources):
        print("fhirsvc convert: --out DIR is needed for files (only - writes to stdout)",
              file=sys.stderr)
        return 2
    if args.out is not None and any(source.path is None for source in sources):
        print("fhirsvc convert: - writes its Bundle to standard output, not to --out "
              "(drop --out, or redirect: fhirsvc convert - > DIR/NAME.json)", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else None
    if out is not None and not make_out("convert", out):
        return 2
    recorded = DEFAULT_RECORDED
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():  # reproducible-builds convention
        stamp = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), UTC)
        recorded = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    note_terminology_build("convert")
    converter = Converter(bundle_type=args.bundle_type, validation=args.validation,
                          recorded=recorded)
    progress = len(sources) > 1 and sys.stderr.isatty()
    tally = Batch(converter, out, progress=progress).run(sources)
    if progress or tally.failed:
        print(f"fhirsvc convert: {tally.written} Bundle(s) written, {tally.failed} failed",
              file=sys.stderr)
    return 0 if tally.ok else 1


def _validate(args: argparse.Namespace) -> int:
    import json

    from fhirsvc.validation import Validator
    from fhirsvc.validation.files import (
        find_json_files,
        iter_results,
        outcome_bundle,
        summary,
        write_text,
    )

    files, missing = find_json_files(args.paths)
    if _nothing_to_do("validate", args.paths, missing, bool(files), "*.json or *.ndjson"):
        return 2
    from fhirsvc.terminology.loader import load_terminology
    from fhirsvc.terminology.store import CODE_SYSTEMS, COMPLETE_SYSTEMS
    from fhirsvc.validation.bindings import LazyCodeLookup

    # ICD-10-CM is complete in fhirsvc's terminology, so an absent code is an error in any
    # file; SNOMED CT, LOINC, RxNorm, HPO and ORPHA codes are checked against the curated
    # tables only for files held to fhirsvc's promises (--fhirsvc-profiles), since those
    # tables hold the codes fhirsvc emits, not every code of those systems. The terminology
    # is loaded on the first such coding, so other files start in about a second.
    checked = CODE_SYSTEMS if args.fhirsvc_profiles else COMPLETE_SYSTEMS
    validator = Validator.from_spec(codes=LazyCodeLookup(load_terminology, checked))
    results = []
    for result in iter_results(validator, files, fhirsvc_profiles=args.fhirsvc_profiles):
        results.append(result)
        if args.format == "text":
            write_text(result, sys.stdout)
    if args.format == "json":
        print(json.dumps(outcome_bundle(results), indent=2))
    print(summary(results), file=sys.stderr)
    return 1 if any(result.has_errors for result in results) else 0


def _serve(args: argparse.Namespace) -> int:
    """Open the store, check the port, load ``--load`` files, then serve FHIR at
    http://HOST:PORT/fhir.

    The port is tried before the app and its validator are built and before loading, so a
    port in use is said at once; the server itself listens only after loading, so clients
    are refused, not left hanging, meanwhile."""
    import logging
    from dataclasses import replace

    from waitress import create_server

    from fhirsvc.inputs import STDIN
    from fhirsvc.server import ServerConfig, create_app
    from fhirsvc.server.load import find_files

    files, missing = find_files(args.load)
    for name in missing:
        problem = ("standard input cannot be loaded: name files or folders (or: fhirsvc "
                   "convert - > out/NAME.json, then --load out/)") if name == STDIN \
            else "no such file or folder"
        print(f"fhirsvc serve: {name}: {problem}", file=sys.stderr)
    if missing:
        return 2
    # The production command's settings (FHIRSVC_DATABASE, FHIRSVC_BASE_URL,
    # FHIRSVC_MAX_BODY_BYTES) hold here too; --database wins over FHIRSVC_DATABASE.
    try:
        config = replace(ServerConfig.from_environment(), check_codes=True)
    except ValueError as error:  # a setting that cannot be read
        print(f"fhirsvc serve: {error}", file=sys.stderr)
        return 2
    if args.database:
        config = replace(config, database=args.database)
    store = open_database("serve", config.database)
    if store is None:
        return 2
    try:
        _try_listening(args.host, args.port)
    except OSError as error:  # the port in use, a host name that does not resolve
        return _cannot_listen(args, error)
    note_terminology_build("serve")
    app = create_app(config, store=store)
    if files and not _load(app.extensions["fhirsvc"], store, files, config.database):
        return 1
    try:
        server = create_server(app, host=args.host, port=args.port, threads=8, ident="fhirsvc")
    except OSError as error:  # taken by another program while loading
        return _cannot_listen(args, error)
    logging.basicConfig()  # waitress's warnings (a full queue) reach stderr, as under serve()
    print(f"fhirsvc serve: FHIR R4 at http://{args.host}:{args.port}/fhir (Ctrl-C stops)",
          file=sys.stderr)
    try:
        server.run()
    finally:
        server.close()
    return 0


def _load(ctx: Context, store: SqlStore, files: list[Path], database: str | None) -> bool:
    """Load ``files`` before serving, saying what happened; False when one failed or the
    database did (a script must not take a half-loaded server for a whole one)."""
    from fhirsvc.server.load import load_files

    try:
        report = load_files(ctx, files, lambda path: print(
            f"fhirsvc serve: loading {path}", file=sys.stderr))
    except store.backend.errors as error:  # the server gone, a full disk, a damaged file
        print(f"fhirsvc serve: the database {database or '(default)'} failed while loading "
              f"the file named last: {_one_line(error)} (the files before it are stored)",
              file=sys.stderr)
        return False
    for problem in report.errors:
        print(f"fhirsvc serve: {problem}", file=sys.stderr)
    print(f"fhirsvc serve: {report.summary()}", file=sys.stderr)
    if report.errors:
        print("fhirsvc serve: not serving (what loaded stays stored; loading again "
              "writes only what changed)", file=sys.stderr)
    return not report.errors


def _try_listening(host: str, port: int) -> None:
    """Bind every address of ``host`` at ``port`` as waitress will (SO_REUSEADDR), then
    let go: OSError when one is in use or ``host`` does not resolve."""
    import socket

    for family, kind, proto, _, address in socket.getaddrinfo(
            host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, socket.IPPROTO_TCP,
            socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)


def _cannot_listen(args: argparse.Namespace, error: OSError) -> int:
    import errno
    import socket

    wrong_host = isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL
    hint = ("not an address of this machine? choose one with --host" if wrong_host
            else "another server there? choose one with --port")
    print(f"fhirsvc serve: cannot listen on {args.host}:{args.port}: "
          f"{error.strerror or error} ({hint})", file=sys.stderr)
    return 2


def open_database(command: str, url: str | None, *, must_exist: bool = False
                  ) -> SqlStore | None:
    """The store at ``url`` (see :func:`fhirsvc.storage.open_store`), or None after saying
    in one line why it cannot be opened. ``must_exist``: a SQLite file that is not there
    is an error, not a new empty database (a mistyped path would export nothing)."""
    from fhirsvc.storage import open_store, sqlite_path

    try:
        path = sqlite_path(url)
        if must_exist and path is not None and not path.exists():
            raise ValueError(f"no such file {path}")
        return open_store(url)
    except Exception as error:  # a wrong URL, an unreachable server: say which
        print(f"fhirsvc {command}: cannot open the database {url or '(default)'}: "
              f"{_one_line(error)}", file=sys.stderr)
        return None


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())  # psycopg's messages span lines


def _export(args: argparse.Namespace) -> int:
    """Write the current version of every stored resource into ``--out`` (see
    :mod:`fhirsvc.export`)."""
    from fhirsvc.server.config import environment_database
    from fhirsvc.storage import default_database_path

    url = args.database or environment_database()
    store = open_database("export", url, must_exist=True)
    if store is None:
        return 2
    try:
        return _export_from(store, args, url or str(default_database_path()))
    finally:
        store.close()


def _export_from(store: SqlStore, args: argparse.Namespace, name: str) -> int:
    from pathlib import Path

    types = _export_types(args.types, store.registry.resource_types)
    if types == []:
        return 2
    out = Path(args.out)
    if not make_out("export", out):
        return 2
    tally = _write_export(store, types, out, args.format, name)
    if tally is None:
        return 1
    kinds = ", ".join(f"{kind} {count}" for kind, count in tally.counts.items())
    noun = "resource" if tally.total == 1 else "resources"
    print(f"fhirsvc export: {tally.total} {noun}{f' ({kinds})' if kinds else ''} "
          f"written to {out}", file=sys.stderr)
    return 0


def _write_export(store: SqlStore, types: list[str] | None, out: Path, form: str,
                  name: str) -> ExportTally | None:
    """The export's files written from one snapshot of the store, or None after saying in
    one line what failed (``out`` then left as it was)."""
    from tqdm import tqdm

    from fhirsvc.errors import FhirError
    from fhirsvc.export import write_bundle, write_ndjson

    current = store.current(types)
    resources = tqdm(current, unit=" resources", file=sys.stderr,
                     disable=not sys.stderr.isatty(), dynamic_ncols=True)
    # a damaged file, the server gone, tables dropped; or (Conflict) the database busy
    failed: tuple[type[Exception], ...] = (*store.backend.errors, FhirError)
    try:
        if form == "bundle":
            return write_bundle(resources, out)
        return write_ndjson(resources, out, types or store.registry.resource_types)
    except OSError as error:  # no permission, a full disk
        print(f"fhirsvc export: --out {out}: cannot write {error.filename or ''}: "
              f"{error.strerror or error}", file=sys.stderr)
    except failed as error:
        print(f"fhirsvc export: the database {name} failed while reading: {_one_line(error)} "
              f"(nothing written to {out})", file=sys.stderr)
    finally:
        resources.close()
        current.close()  # ends the snapshot
    return None


def _export_types(given: list[str] | None, known: frozenset[str]) -> list[str] | None:
    """The ``--type`` names (commas split), None for all; [] after naming one that is
    not a resource type fhirsvc stores."""
    if given is None:
        return None
    names = sorted({name for item in given for name in item.split(",") if name})
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        print(f"fhirsvc export: --type {', '.join(unknown) or '(none)'}: not a resource type "
              f"fhirsvc stores (one of {', '.join(sorted(known))})", file=sys.stderr)
        return []
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help(sys.stderr)  # rather than argparse's bare "required: COMMAND"
        return 2
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("fhirsvc: interrupted", file=sys.stderr)
        return 130
