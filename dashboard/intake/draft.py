"""Draft files: the answers as versioned JSON, and a parser that refuses anything odd with one plain message.

A draft may come from anywhere, so parsing is defensive: a size limit before reading, strict UTF-8,
no NaN/Infinity, no huge numbers, no duplicate keys, bounded nesting, then strict model validation.
Every failure is a ``DraftError`` whose message is safe to show (it never echoes answer values).
Drafts of an older schema version are migrated (``migrate``) before validation, so they still open.
Check-ins are validated one by one first: a damaged check-in is named and left out, the others and the
rest of the draft are kept (``parse_loaded``), since a series of weekly entries should not be lost to one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from dashboard.intake.answers import MAX_CHECKINS, READABLE_VERSIONS, Answers, CheckIn

MAX_BYTES = 1_000_000
MAX_DEPTH = 12
MAX_INT_DIGITS = 12


class DraftError(ValueError):
    """A draft that cannot be used; ``str(err)`` is one plain sentence for the patient or the terminal."""


@dataclass(frozen=True)
class Loaded:
    """A usable draft, and one plain sentence per check-in that was left out because it was damaged."""

    answers: Answers
    dropped: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        return " ".join(self.dropped)


def to_json(answers: Answers) -> str:
    """The draft file text for these answers (stable key order, UTF-8 friendly)."""
    return answers.model_dump_json(indent=2)


def to_bytes(answers: Answers) -> bytes:
    return to_json(answers).encode("utf-8")


def template() -> str:
    """An empty draft of the current schema."""
    return to_json(Answers())


def _reject_constant(name: str) -> Any:
    raise DraftError(f"The draft contains {name}, which is not a valid number.")


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise DraftError("The draft contains a number that is far too large.")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > 40:
        raise DraftError("The draft contains a number that is far too long.")
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise DraftError("The draft contains a number that is out of range.")
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DraftError("The draft repeats a field name, so it is ambiguous.")
        out[key] = value
    return out


_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


def _depth_ok(text: str) -> bool:
    """Cheap pre-check of bracket nesting outside strings, before the recursive JSON decoder runs.

    Strings are skipped by one regular expression, so the loop visits brackets only: a year of weekly
    check-ins is mostly strings and numbers, and a loop over every character cost more than the parse.
    An unterminated string runs to the end of the text, as it does for the decoder.
    """
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        ch = match.group()
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _describe(err: ValidationError, subject: str = "The draft") -> str:
    """The first problem in plain words, with where it is; never the offending value."""
    errors = err.errors(include_input=False, include_url=False)
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"]) or "the top level"
    kind = first["type"]
    if kind == "extra_forbidden":
        text = f"{subject} has a field this app does not know: {where}."
    elif kind == "missing":
        text = f"{subject} is missing a required field: {where}."
    else:
        text = f"{subject} has an invalid value at {where}: {first['msg']}."
    more = len(errors) - 1
    if more:
        text += f" ({more} more problem{'s' if more != 1 else ''}.)"
    return text


def migrate(obj: dict[str, Any]) -> dict[str, Any]:
    """A draft object of any readable version, raised to the current one.

    Version 1 → 2 only added optional fields (who completed the form, the units measurements were typed
    in), so a version-1 draft is a version-2 draft with "Completed by" left unstated. Version 2 → 3 added
    the list of check-ins, which an older draft does not have: it becomes a draft with no check-ins.
    """
    if obj.get("schema_version") == 1:
        obj = {**obj, "schema_version": 2}
    if obj.get("schema_version") == 2:
        if "checkins" in obj:
            raise DraftError("The draft says schema version 2 but has check-ins, which came in version 3.")
        obj = {**obj, "schema_version": 3}
    return obj


def _checkin_label(index: int, entry: Any) -> str:
    """ "Check-in 2 (dated 2026-03-04)": its place in the file, and its date only when that is a plain date."""
    label = f"Check-in {index + 1}"
    date = entry.get("date") if isinstance(entry, dict) else None
    if isinstance(date, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date):
        label += f" (dated {date})"
    return label


def _keep_readable_checkins(obj: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The draft with every damaged check-in taken out, and a sentence naming each one.

    Anything that is not a list of at most ``MAX_CHECKINS`` is left as it is, for the whole-draft
    validation to refuse with its own message.
    """
    entries = obj.get("checkins")
    if not isinstance(entries, list) or len(entries) > MAX_CHECKINS:
        return obj, ()
    kept: list[Any] = []
    dropped: list[str] = []
    for i, entry in enumerate(entries):
        try:
            CheckIn.model_validate_json(json.dumps(entry, allow_nan=False))
        except ValidationError as err:
            dropped.append(_describe(err, _checkin_label(i, entry)) + " It was left out; the others were kept.")
            continue
        except (ValueError, TypeError, RecursionError):
            dropped.append(f"{_checkin_label(i, entry)} could not be read. It was left out; the others were kept.")
            continue
        kept.append(entry)
    return {**obj, "checkins": kept}, tuple(dropped)


def parse(data: bytes | str) -> Answers:
    """Answers from draft bytes or text, or a ``DraftError`` with a plain message; never anything else.

    Damaged check-ins are left out silently here; callers that can tell the person use ``parse_loaded``.
    """
    return parse_loaded(data).answers


def parse_loaded(data: bytes | str) -> Loaded:
    """A usable draft with the names of any check-ins left out, or a ``DraftError`` with a plain message."""
    if isinstance(data, str):
        if len(data) > MAX_BYTES:
            raise DraftError("The draft is larger than 1 MB, so it was not opened.")
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise DraftError("The draft is larger than 1 MB, so it was not opened.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DraftError("The draft is not a text file (it is not valid UTF-8).") from None
    if not text.strip():
        raise DraftError("The draft is empty.")
    if not _depth_ok(text):
        raise DraftError("The draft is nested too deeply to be a questionnaire draft.")
    try:
        obj = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
            object_pairs_hook=_no_duplicates,
        )
    except DraftError:
        raise
    except (ValueError, RecursionError):
        raise DraftError("The draft is not valid JSON.") from None
    if not isinstance(obj, dict):
        raise DraftError("The draft is not a questionnaire draft (expected a JSON object).")
    version = obj.get("schema_version")
    if "schema_version" not in obj:
        raise DraftError("The draft has no schema_version, so it is not a questionnaire draft from this app.")
    if type(version) is not int or version not in READABLE_VERSIONS:
        readable = ", ".join(str(v) for v in READABLE_VERSIONS[:-1]) + f" and {READABLE_VERSIONS[-1]}"
        raise DraftError(f"The draft is for schema version {str(version)[:20]!s}; this app reads versions {readable}.")
    obj = migrate(obj)
    try:
        return Loaded(_validate(obj))
    except ValidationError as err:
        if not any(e["loc"][:1] == ("checkins",) for e in err.errors(include_input=False, include_url=False)):
            raise DraftError(_describe(err)) from None
    obj, dropped = _keep_readable_checkins(obj)  # only when a check-in is at fault: one validation otherwise
    try:
        return Loaded(_validate(obj), dropped)
    except ValidationError as err:
        raise DraftError(_describe(err)) from None


def _validate(obj: dict[str, Any]) -> Answers:
    """The model from a decoded draft; a ``DraftError`` for anything but a validation error."""
    try:
        return Answers.model_validate_json(json.dumps(obj, allow_nan=False))
    except ValidationError:
        raise
    except (ValueError, TypeError, RecursionError):
        raise DraftError("The draft could not be read.") from None
