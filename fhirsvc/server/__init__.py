"""The FHIR R4 REST server (the only package that imports Flask).

``create_app(config)`` gives a WSGI app serving FHIR at ``/fhir``; the interactions
themselves (:mod:`fhirsvc.server.interactions`, :mod:`fhirsvc.server.bundles`) are plain
functions. Loaded lazily, so that importing :mod:`fhirsvc.server.operations` does not
pull in Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fhirsvc.server.app import create_app
    from fhirsvc.server.config import ServerConfig

__all__ = ["ServerConfig", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from fhirsvc.server.app import create_app

        return create_app
    if name == "ServerConfig":
        from fhirsvc.server.config import ServerConfig

        return ServerConfig
    raise AttributeError(name)
