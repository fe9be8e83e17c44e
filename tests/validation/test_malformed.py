"""Full validation of malformed JSON: every layer reports, none raises, and the same
resource always gives the same issues (the server's $validate and the CLI rely on both)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhirsvc.validation import Validator
from tests.validation.conftest import load, valid_examples

EXAMPLES = [load(path) for path in valid_examples()]
#: JSON values of every shape, to put where an element of another shape belongs
WRONG = st.sampled_from([None, [1], {}, 1, 1.5, -1, "", "x", True, [], [{}], [None], [[1]],
                         {"a": 1}])


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    items = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list) else [])
    for key, item in items:
        found += _paths(item, (*path, key))
    return found


@st.composite
def malformed(draw: st.DrawFn) -> dict[str, Any]:
    resource = copy.deepcopy(draw(st.sampled_from(EXAMPLES)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(resource)
        if not paths:
            break
        *parents, last = draw(st.sampled_from(paths))
        holder = resource
        for key in parents:
            holder = holder[key]
        holder[last] = copy.deepcopy(draw(WRONG))
    return resource


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resource=malformed())
def test_malformed_resources_get_issues_the_same_way_every_time(validator: Validator,
                                                                resource: dict[str, Any]
                                                                ) -> None:
    first = validator.validate(resource, fhirsvc_profiles=True)
    assert first == validator.validate(copy.deepcopy(resource), fhirsvc_profiles=True)


@pytest.mark.parametrize("path, value", [
    (("clinicalStatus", "coding", 0, "code"), [1]),
    (("clinicalStatus", "coding", 0, "system"), {}),
    (("clinicalStatus", "coding"), None),
    (("clinicalStatus", "coding"), 1.5),
    (("extension",), [{"url": ["x"]}]),
], ids=["code-list", "system-object", "coding-null", "coding-number", "extension-url-list"])
def test_a_wrongly_shaped_code_or_url_is_an_error_not_a_crash(
        validator: Validator, path: tuple[Any, ...], value: Any) -> None:
    condition = next(r for r in EXAMPLES if r["resourceType"] == "Condition")
    resource = json.loads(json.dumps(condition))
    holder = resource
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    issues = validator.validate(resource, fhirsvc_profiles=True)
    assert any(issue.is_error for issue in issues)
