"""Input of the attempt pages: the CSRF-only forms and reading a posted quiz page.

With JavaScript the take page saves through the JSON API; without it the whole
quiz is one form posted to quiz_attempts.submit_form, read here into the same
{item id: value} shape the API takes (services validate it either way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lms.forms import EmptyForm

StartForm = EmptyForm
SubmitForm = EmptyForm

FIELD_PREFIX = "q-"


def field_name(item_id: str) -> str:
    return FIELD_PREFIX + item_id


def responses_from_form(items: list[Mapping[str, Any]], formdata) -> dict[str, Any]:
    """Every item's answer as posted; a blank field clears the answer."""
    return {item["id"]: _value(item, formdata) for item in items}


def _value(item: Mapping[str, Any], formdata) -> Any:
    name = field_name(item["id"])
    qtype = item.get("type")
    if qtype == "multiple":
        return formdata.getlist(name)
    if qtype == "ordering":
        return formdata.getlist(name) or None
    if qtype == "truefalse":
        return {"true": True, "false": False}.get(formdata.get(name, ""))
    value = formdata.get(name, "")
    return value if value.strip() else None
