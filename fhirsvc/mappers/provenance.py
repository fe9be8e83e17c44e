"""Provenance and the Device that stands for fhirsvc: who made these resources, and how.

https://hl7.org/fhir/R4/provenance.html. The agent is a Device named "fhirsvc" with
its version (one id per version, shared by every Bundle, so loading many Bundles
creates one Device); ``policy`` names the method, ``entity`` the source
DocumentReference. ``recorded`` (an instant, required) is given by the caller: the
converter uses a fixed instant unless told the real time, so that the same input
gives byte-identical Bundles.
"""

from __future__ import annotations

from collections.abc import Iterable

from fhirsvc import __version__
from fhirsvc.mappers.common import JSON, Ref, hl7_concept
from fhirsvc.terminology import systems

AGENT = f"fhirsvc {__version__}"
METHOD = ("rule-based reading of a free-text case report (report structure, ConText-style "
          "assertion, values, dates), coded with curated tables and open terminologies")


def device(ref: Ref) -> JSON:
    return {"resourceType": "Device", "id": ref.id,
            "deviceName": [{"name": "fhirsvc", "type": "model-name"}],
            "type": {"text": "Software that converts case reports into FHIR R4 resources"},
            "version": [{"value": __version__}]}


def provenance(ref: Ref, targets: Iterable[Ref], document: Ref, agent: Ref,
               recorded: str) -> JSON:
    return {
        "resourceType": "Provenance",
        "id": ref.id,
        "target": [t.reference() for t in targets],
        "recorded": recorded,
        "policy": [systems.FHIRSVC_METHOD],
        "activity": {**hl7_concept(systems.DATA_OPERATION, "CREATE", "create"), "text": METHOD},
        "agent": [{
            "type": hl7_concept(systems.PROVENANCE_PARTICIPANT_TYPE, "assembler", "Assembler"),
            "who": agent.reference(AGENT),
        }],
        "entity": [{"role": "source", "what": document.reference()}],
    }
