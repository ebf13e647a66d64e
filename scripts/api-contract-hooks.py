"""Hooks of scripts/api-contract.sh: the generated client keeps to what the
tenant API's document says in words where no JSON Schema can say it, so a
refusal the run sees is one the schema itself predicts:

- each request has an Idempotency-Key of its own (the document asks for a new
  key per request; a key sent before with another request is refused);
- operator_account_id is a Tenant Operator or Tenant Admin of the tenant;
- `to` is not before `from`;
- `text` holds at most 10 words of at most 64 letters or digits.

Only requests generated to be valid are changed, each value into another
the schema allows; requests generated to break the schema go as they are.
"""

import itertools
import os
import re

import schemathesis

OPERATORS = [int(i) for i in os.environ["TENANT_DESK_OPERATORS"].split(",")]
KEY = re.compile(r"[!-~]{1,255}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_keys = itertools.count(1)


def _is_whole(value):
    """A whole number as JSON Schema counts one: 12 and 12.0 alike."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


def _searchable(text):
    """`text` within the word rule. A text over it, or beyond ASCII (where
    Python's and Rust's ideas of a letter differ), is cut to 20 characters,
    which never hold more than 10 words or a word over 64 characters."""
    if text.isascii():
        words = ASCII_WORD.findall(text)
        if len(words) <= 10 and all(len(w) <= 64 for w in words):
            return text
    return text[:20]


@schemathesis.hook
def before_call(ctx, case, kwargs):
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    key = case.headers.get("Idempotency-Key") if case.headers else None
    if isinstance(key, str) and KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = f"contract-{next(_keys)}"
    if isinstance(case.body, dict):
        operator = case.body.get("operator_account_id")
        if _is_whole(operator) and operator >= 1:
            case.body["operator_account_id"] = OPERATORS[int(operator) % len(OPERATORS)]
    if isinstance(case.query, dict):
        first, last = case.query.get("from"), case.query.get("to")
        if all(isinstance(d, str) and DATE.fullmatch(d) for d in (first, last)) and last < first:
            case.query["from"], case.query["to"] = last, first
        if isinstance(case.query.get("text"), str):
            case.query["text"] = _searchable(case.query["text"])
