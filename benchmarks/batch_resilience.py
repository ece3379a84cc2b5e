"""The batch CLI under bad input and a kill: N JSONL documents with malformed lines interleaved.

    python benchmarks/batch_resilience.py [--documents 10000] [--malformed 100] [--kill-after 4000] [--no-model]

Writes the input, runs ``readctx annotate IN -o OUT``, kills it (SIGKILL) once ``--kill-after`` lines are out,
runs it again with ``--resume``, then checks and prints: every good document annotated exactly once, every
malformed line reported with its line number, output in input order, exit statuses, and the time taken.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "Two senior officials, who asked not to be named, said the talks would resume next week.",
    "According to the interior ministry, 14 people were killed in the attack.",
    "The claim could not be independently verified.",
    "The International Atomic Energy Agency (IAEA) said its inspectors had left the site.",
    "Residents said the power had been cut since Sunday.",
    '"We will rebuild," the governor told reporters.',
]
MALFORMED = ['{"id": "cut', '{"id": "t", "text": 42}', "not json at all", '{"title": "no text"}', "[1, 2]"]


def write_input(path: Path, documents: int, malformed: int, seed: int = 0) -> set[int]:
    rng = random.Random(seed)
    bad_lines = set(rng.sample(range(1, documents + 1), malformed))
    with path.open("w", encoding="utf-8") as out:
        for line in range(1, documents + 1):
            if line in bad_lines:
                out.write(rng.choice(MALFORMED) + "\n")
            else:
                text = " ".join(rng.sample(SENTENCES, 4)) + f" Report number {line}."
                out.write(json.dumps({"id": f"doc-{line}", "text": text}) + "\n")
    return bad_lines


class LineCounter:
    """Counts the lines of a growing file, reading only what was appended since the last look."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.lines = 0

    def __call__(self) -> int:
        if self.path.exists():
            with self.path.open("rb") as stream:
                stream.seek(self.offset)
                chunk = stream.read()
            self.offset += len(chunk)
            self.lines += chunk.count(b"\n")
        return self.lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--malformed", type=int, default=100)
    parser.add_argument("--kill-after", type=int, default=4_000)
    parser.add_argument("--no-model", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source, output = folder / "in.jsonl", folder / "out.jsonl"
        bad_lines = write_input(source, args.documents, args.malformed)
        command = [sys.executable, "-m", "readctx", "annotate", str(source), "-o", str(output)]
        if args.no_model:
            command.append("--no-model")
        env = {**os.environ, "READCTX_HOME": str(folder / "home")}
        started = time.monotonic()
        first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        written = LineCounter(output)
        while first.poll() is None and written() < args.kill_after:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        lines_at_kill = written()
        second = subprocess.run([*command, "--resume"], env=env, capture_output=True, text=True, check=False)
        elapsed = time.monotonic() - started
        records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]

    ids = [r["id"] for r in records]
    errors = [r for r in records if "error" in r]
    good = [r for r in records if "error" not in r]
    reported = sorted(int(r["where"].rsplit(":", 1)[1]) for r in errors)
    expected_good = [f"doc-{n}" for n in range(1, args.documents + 1) if n not in bad_lines]
    stderr_lines = [line for line in second.stderr.splitlines() if line.startswith("readctx: error:")]
    print(f"input: {args.documents} documents, {args.malformed} malformed lines")
    print(f"first run killed with {lines_at_kill} output lines; resumed run exit status {second.returncode}")
    print(f"output records: {len(records)}; annotated: {len(good)}; error records: {len(errors)}")
    print(f"duplicate ids: {len(ids) - len(set(ids))}")
    print(f"all good documents annotated, once, in input order: {[r['id'] for r in good] == expected_good}")
    print(f"malformed lines reported with their line numbers: {reported == sorted(bad_lines)}")
    print(f"errors on the resumed run's stderr: {len(stderr_lines)} (the rest were reported before the kill)")
    print(f"wall time, both runs: {elapsed:.1f} s")


if __name__ == "__main__":
    main()
