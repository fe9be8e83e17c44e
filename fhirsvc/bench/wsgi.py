"""WSGI entry points the HTTP benchmark starts its servers with.

``fhir_app()`` is the real fhirsvc server (``create_app``) on the database named by
``FHIRSVC_BENCH_DATABASE``; the ceiling app lives in :mod:`fhirsvc.server.ceiling`.
"""

from __future__ import annotations

import os
from typing import Any

DATABASE_ENV = "FHIRSVC_BENCH_DATABASE"


def fhir_app() -> Any:
    from fhirsvc.server.app import create_app
    from fhirsvc.server.config import ServerConfig

    return create_app(ServerConfig(database=os.environ[DATABASE_ENV]))
