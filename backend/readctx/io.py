"""Reading documents: JSON records (HTTP bodies, JSONL lines) and files/directories for the batch CLI.

Every reader yields ``Source`` items in input order; one that cannot be read carries its error instead of a
document, so a batch reports it on its own line and goes on with the rest.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import InputError, ReadctxError, ValidationError
from .types import InputDocument

RECORD_FIELDS = ("id", "text", "html", "url", "title", "published")
FILE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
_FIELD_NAME = re.compile(r"[a-z_]{1,32}")


@dataclass(frozen=True)
class Source:
    """One input document, or the error that stopped it from being read, with where it came from."""

    id: str
    document: InputDocument | None
    error: ReadctxError | None = None
    where: str = ""  # "path:line" for JSONL, the path for files


def parse_record(record: object, *, default_id: str | None = None) -> InputDocument:
    """A JSON object → InputDocument. Messages name fields and types, never values (they may be page text)."""
    if not isinstance(record, dict):
        raise ValidationError(f"a document must be a JSON object, not {_json_type(record)}")
    unknown = sorted(set(record) - set(RECORD_FIELDS))
    if unknown:
        # Name the fields only when they look like field names: a key could be anything, page text included.
        shown = [name for name in unknown if _FIELD_NAME.fullmatch(name)][:5]
        listed = f": {', '.join(shown)}" if len(shown) == len(unknown) else ""
        raise ValidationError(f"{len(unknown)} unknown field(s){listed}; expected {', '.join(RECORD_FIELDS)}")
    values: dict[str, str | None] = {}
    for name in RECORD_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise ValidationError(f"field '{name}' must be a string, not {_json_type(value)}")
        if value is not None and not _encodable(value):
            raise ValidationError(f"field '{name}' contains an unpaired surrogate (not valid Unicode text)")
        values[name] = value
    if values["text"] is None and values["html"] is None:
        raise ValidationError("a document needs 'text' or 'html'")
    return InputDocument(
        id=values["id"] or default_id,
        text=values["text"],
        html=values["html"],
        url=values["url"],
        title=values["title"],
        published=values["published"],
    )


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_type(value: Any) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def read_jsonl(lines: Iterable[bytes | str], name: str) -> Iterator[Source]:
    """JSONL records, each line decoded on its own: one bad byte or bad line costs that line only."""
    for number, raw in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            yield Source(where, None, InputError(f"line {number}: not valid UTF-8"), where)
            continue
        if number == 1:
            line = line.removeprefix("\ufeff")  # a byte-order mark some editors write at the start of a file
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Source(where, None, InputError(f"line {number}: not valid JSON ({error.msg})"), where)
            continue
        except RecursionError:
            yield Source(where, None, InputError(f"line {number}: JSON nested too deeply"), where)
            continue
        try:
            document = parse_record(record, default_id=where)
        except ReadctxError as error:
            # The error's id is its place, not the id it claims: ids of broken records may repeat or collide
            # with a good document's, and --resume skips by id.
            yield Source(where, None, ValidationError(f"line {number}: {error.message}"), where)
            continue
        yield Source(document.id or where, document, None, where)


def read_file(path: Path, given: str) -> Iterator[Source]:
    """A .txt/.html file is one document whose id is the path as given; a .jsonl file is many."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            with path.open("rb") as stream:
                yield from read_jsonl(stream, given)
            return
        # newline="": offsets count the file's code points, so "\r\n" must stay two of them.
        with path.open(encoding="utf-8", newline="") as text_stream:
            content = text_stream.read()
    except UnicodeDecodeError:
        yield Source(given, None, InputError(f"cannot read {given}: not valid UTF-8"), given)
        return
    except OSError as error:
        yield Source(given, None, InputError(f"cannot read {given}: {error.strerror or type(error).__name__}"), given)
        return
    if suffix in (".html", ".htm"):
        yield Source(given, InputDocument(id=given, html=content), None, given)
    else:
        yield Source(given, InputDocument(id=given, text=content), None, given)


def iter_inputs(inputs: Iterable[str], stdin: IO[str] | None = None) -> Iterator[Source]:
    """Files, directories (recursively, sorted, only known suffixes) and ``-`` (JSONL on stdin), in order."""
    for given in inputs:
        if given == "-":
            stream = stdin or sys.stdin
            yield from read_jsonl(getattr(stream, "buffer", stream), "<stdin>")
            continue
        path = Path(given)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FILE_SUFFIXES):
                yield from read_file(child, str(child))
        elif path.exists() or path.suffix:
            yield from read_file(path, given)
        else:
            yield Source(given, None, InputError(f"cannot read {given}: no such file or directory"), given)
