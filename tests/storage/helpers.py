"""Small helpers the storage tests share."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from fhirsvc.storage import SqlStore, parse_search
from fhirsvc.storage.db import Db

#: How long a test waits for another thread or process before calling it hung: not a
#: speed limit (they normally take milliseconds; a loaded machine may take seconds).
HANG = 120


def until(done: Callable[[], bool]) -> bool:
    """Whether ``done()`` became true within :data:`HANG` seconds, asked every 10 ms."""
    deadline = time.monotonic() + HANG
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def ids(store: SqlStore, resource_type: str, *params: tuple[str, str]) -> list[str]:
    """Ids of the first page of matches of ``resource_type?params``, in result order."""
    return [m.id for m in store.search(parse_search(resource_type, list(params))).matches]


def run_threads(target: Callable[[int], None], count: int) -> list[BaseException]:
    """Run ``target(0)`` … ``target(count - 1)`` at once; the exceptions they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait()
            target(index)
        except BaseException as error:  # collected for the test to assert on
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def plan_of(db: Db, sql: str, params: list[Any]) -> str:
    """The plan the database chooses for ``sql``, as text naming its indexes. Inside a
    write session: on PostgreSQL sequential scans are off for the transaction, as a
    test's few rows are cheaper to scan than any index."""
    if db.dialect == "postgresql":
        db.run("SET LOCAL enable_seqscan = off")
        return "\n".join(str(row[0]) for row in db.all(f"EXPLAIN {sql}", params))
    return "\n".join(str(row[-1]) for row in db.all(f"EXPLAIN QUERY PLAN {sql}", params))
