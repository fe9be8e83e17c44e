"""fhirsvc: clinical case reports in, coded and validated FHIR R4 (4.0.1) resources out.

The stages live in subpackages named after the pipeline they form
(extract → terminology → mappers → validation → storage → server);
:mod:`fhirsvc.pipeline` composes them.
"""

from pathlib import Path as _Path

from fhirsvc.checkout import adopt_data_folders as _adopt_data_folders

__version__ = "0.1.0"

#: FHIR version of every resource fhirsvc reads or writes (https://hl7.org/fhir/R4/).
FHIR_VERSION = "4.0.1"

_adopt_data_folders(__name__, _Path(__file__).resolve().parent)

__all__ = ["FHIR_VERSION", "__version__"]
