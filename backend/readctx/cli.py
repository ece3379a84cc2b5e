"""The ``readctx`` command: ``serve``, ``annotate``, ``token``, ``evaluate``.

``annotate`` behaves like a Unix filter: JSON lines out in input order (stdout or ``-o``), diagnostics and
the progress bar on stderr, exit status 1 when any document could not be read (after annotating the rest).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import IO, Any

from . import __version__
from .config import MODEL_HELP, MODEL_MODES, Settings, load_or_create_token
from .errors import InputError, ReadctxError
from .io import Source, iter_inputs


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["evaluate"]:
        # evaluate has its own parser (readctx.evaluate); argparse's REMAINDER would not pass it "--data".
        from .evaluate import main as evaluate_main

        return evaluate_main(arguments[1:])
    parser = _parser()
    args = parser.parse_args(arguments)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args))
    except ReadctxError as error:
        print(f"readctx: error: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `readctx annotate ... | head` closed the pipe: stop quietly, like other filters (Python's docs recipe:
        # point stdout at devnull so the interpreter's final flush does not raise again).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="readctx", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"readctx {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1; others always require the token)")
    serve.add_argument("--port", type=int, help="port (default 8765)")
    serve.add_argument(
        "--cors-origin",
        action="append",
        dest="cors_origins",
        metavar="ORIGIN",
        help="allow this browser origin, e.g. chrome-extension://<id> (repeatable)",
    )
    serve.add_argument(
        "--require-token", action="store_true", default=None, help="require the bearer token on loopback too"
    )
    _add_model_flags(serve)
    serve.set_defaults(handler=_serve)

    annotate = commands.add_parser("annotate", help="annotate files, directories or JSONL (- for stdin)")
    annotate.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .html, .jsonl, a directory, or -")
    annotate.add_argument("-o", "--output", type=Path, help="write JSON lines here instead of stdout")
    annotate.add_argument("--format", choices=("json", "w3c"), default="json")
    annotate.add_argument(
        "--resume", action="store_true", help="skip documents already annotated in OUT, retry those that failed, append"
    )
    annotate.add_argument("--batch-size", type=int, default=16, help="documents tagged together (default 16)")
    _add_model_flags(annotate)
    annotate.add_argument(
        "--no-index",
        action="store_false",
        dest="index",
        default=None,
        help="do not fingerprint documents or report near-duplicates",
    )
    annotate.set_defaults(handler=_annotate)

    token = commands.add_parser("token", help="print the service token (created on first use)")
    token.set_defaults(handler=lambda args: print(load_or_create_token(Settings.from_env())) or 0)

    # Listed for --help; main() hands "readctx evaluate ..." straight to readctx.evaluate.
    commands.add_parser("evaluate", help="score the shipped model on the dev sets (--data PATH)", add_help=False)
    return parser


def _add_model_flags(command: argparse.ArgumentParser) -> None:
    choice = command.add_mutually_exclusive_group()
    choice.add_argument("--model", choices=MODEL_MODES, help=MODEL_HELP)
    choice.add_argument(
        "--no-model", action="store_const", const="off", dest="model", help="rules only (= --model off)"
    )


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .api import create_app

    settings = Settings.from_env().replace(
        host=args.host,
        port=args.port,
        model=args.model,
        require_token=args.require_token,
        cors_origins=tuple(args.cors_origins) if args.cors_origins else None,
    )
    app = create_app(settings)
    if settings.token_required:
        print(f"readctx: token required; print it with 'readctx token' ({settings.token_path})", file=sys.stderr)
    # Access logs carry method, path and status only; bodies (page text) are never logged.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", server_header=False)
    return 0


def _annotate(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline
    from .selectors import to_w3c

    if args.resume and not args.output:
        raise InputError("--resume needs -o OUT: it skips the ids already in that file")
    if args.output and not args.output.parent.is_dir():
        raise InputError(f"cannot write {args.output}: no such directory")
    if args.output and args.output.is_dir():
        raise InputError(f"cannot write {args.output}: it is a directory")
    settings = Settings.from_env().replace(model=args.model, index=args.index)
    pipeline = Pipeline.from_settings(settings)
    done = _ids_in_output(args.output) if args.resume else Counter()
    out: IO[str] = sys.stdout
    if args.output:
        with _writing_to(args.output):
            out = args.output.open("a" if args.resume else "w", encoding="utf-8")
    progress = Progress(sys.stderr)
    failures = 0
    try:
        sources = _still_to_do(iter_inputs(args.inputs), done)
        for chunk in _chunks(sources, max(1, args.batch_size)):
            good = [(s.document, s.id) for s in chunk if s.document is not None]
            results = iter(pipeline.annotate_batch(good))
            for source in chunk:
                result = next(results) if source.document is not None else source.error
                assert result is not None, "a Source carries a document or an error"
                if isinstance(result, ReadctxError):
                    failures += 1
                    where = source.where or source.id
                    print(f"readctx: error: {where}: {result.message}", file=sys.stderr)
                    record: dict[str, Any] = {"id": source.id, "where": where, **result.to_json()}
                else:
                    record = to_w3c(result) if args.format == "w3c" else result.to_json()
                    progress.words += len(result.doc.text.split())
                with _writing_to(args.output):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                progress.advance(failed=isinstance(result, ReadctxError))
            with _writing_to(args.output):
                out.flush()  # each finished chunk is on disk before the next starts
    finally:
        progress.close()
        if out is not sys.stdout:
            with _writing_to(args.output):
                out.close()
    return 1 if failures else 0


@contextlib.contextmanager
def _writing_to(path: Path | None) -> Iterator[None]:
    """Opening, writing to or closing OUT: a failing file (disk full, /proc) is a clear error, not a traceback.
    Errors on stdout (``path`` None) propagate as they are: a closed pipe ends the run quietly in ``main``."""
    try:
        yield
    except OSError as error:
        if path is None:
            raise
        raise InputError(f"cannot write {path}: {error.strerror or type(error).__name__}") from error


def _chunks(items: Iterator[Source], size: int) -> Iterator[list[Source]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _ids_in_output(path: Path) -> Counter[str]:
    """How many times each document id was annotated in OUT, which is made ready for appending.

    Error records are removed, so that their documents are tried again: a file that was missing or a line
    fixed since is annotated this time, and a still-broken one gets a fresh error record, not a second one.
    A last line cut short by a kill (no newline) is removed too. Any other line that is not a readctx record
    means OUT is not (only) our output, and resuming into it would lose data.
    """
    if not path.exists():
        return Counter()
    done: Counter[str] = Counter()
    kept: list[bytes] = []
    with path.open("rb") as stream:
        lines = stream.readlines()
    for number, line in enumerate(lines, start=1):
        if not line.endswith(b"\n") and number == len(lines):
            break
        record = _json_object(line)
        if record is None or not _is_output_record(record):
            raise InputError(f"{path}:{number} is not a readctx output record; not resuming into this file")
        if _is_error_record(record):
            continue
        kept.append(line)
        document = record.get("readctx:document")  # W3C records keep the document's id there
        doc_id = document.get("id") if isinstance(document, dict) else record.get("id")
        if isinstance(doc_id, str):
            done[doc_id] += 1
    if len(kept) == len(lines):
        return done
    if lines[: len(kept)] == kept:  # only a torn last line or trailing error records go: cut them off in place
        with path.open("r+b") as stream:
            stream.truncate(sum(map(len, kept)))
        return done
    # Error records in the middle: rewrite, and swap the file in whole so a kill now cannot lose records.
    partial = path.with_name(path.name + ".resume-tmp")
    with partial.open("wb") as stream:
        stream.writelines(kept)
    os.replace(partial, path)
    return done


def _is_error_record(record: dict[str, Any]) -> bool:
    return isinstance(record.get("error"), dict) and "where" in record


def _is_output_record(record: dict[str, Any]) -> bool:
    """A document (JSON or W3C format) or an error record, as ``readctx annotate`` writes them."""
    return "text_sha256" in record or record.get("type") == "AnnotationCollection" or _is_error_record(record)


def _still_to_do(sources: Iterator[Source], done: Counter[str]) -> Iterator[Source]:
    """Sources not yet annotated. An id annotated n times skips its first n documents only, so a repeated id's
    later documents still run; sources that failed to read always run again (their error records were removed)."""
    for source in sources:
        if source.document is not None and done[source.id] > 0:
            done[source.id] -= 1
            continue
        yield source


def _json_object(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


class Progress:
    """A one-line progress report on stderr, only when stderr is a terminal."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.enabled = stream.isatty() and os.environ.get("TERM") != "dumb"
        self.count = 0
        self.failed = 0
        self.words = 0
        self.started = time.monotonic()
        self._last = 0.0

    def advance(self, failed: bool) -> None:
        self.count += 1
        self.failed += failed
        now = time.monotonic()
        if self.enabled and now - self._last > 0.2:
            self._last = now
            self._render(now)

    def _render(self, now: float) -> None:
        rate = self.words / max(now - self.started, 1e-6)
        self.stream.write(f"\r{self.count} documents, {self.failed} errors, {rate:,.0f} words/s")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.count:
            self._render(time.monotonic())
            self.stream.write("\n")
