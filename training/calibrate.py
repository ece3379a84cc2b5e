"""Fit one confidence temperature per head so that span confidences mean what they say.

    python -m training.calibrate --data /work/shared/data [--model-dir backend/readctx/model] [--write]

A span's confidence is the mean softmax probability of its tags; the model is over-confident on some heads
(hedges most). For each head (attribution and content on PolNeAR, hedge on Szeged, entity on re3d) this
scores the dev spans at a grid of temperatures (``softmax(logits / T)``; the tags themselves never change)
and picks the T with the lowest log loss of "the span overlaps a gold span of its kind" (for entities, of
its type). Two-fold cross-fitting over the dev documents (fit on even, score on odd and back)
gives the held-out ECE printed beside the uncalibrated one, so the gain is not measured on the data that
chose T. ``--write`` stores the T fitted on all dev documents as ``confidence_temperature`` in the model's
``config.json``. Needs only the runtime (onnxruntime, transformers), not torch.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from pathlib import Path

from readctx.calibration import Outcome, Reliability, outcomes_per_doc
from readctx.corpora import load_dev
from readctx.decoding import ENTITY_TYPES
from readctx.transformer import TokenTagger, default_model_dir

TEMPERATURES = (0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.3, 2.6, 3.0)
# Head -> the dev corpus and the (task, label) span kinds whose confidences it produces.
HEAD_SPANS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "attribution": ("polnear", (("attribution", "cue"), ("attribution", "source"))),
    "content": ("polnear", (("content", "content"),)),
    "hedge": ("szeged_wiki", (("hedge", "hedge"),)),
    # Typed: a mention is right when it overlaps a gold entity of its own type (the glossary shows the type).
    "entity": ("re3d", tuple(("entity", label) for label in ENTITY_TYPES)),
}


def log_loss(outcomes: Sequence[Outcome]) -> float:
    eps = 1e-6
    return -sum(math.log(min(max(c if ok else 1 - c, eps), 1 - eps)) for c, ok in outcomes) / max(len(outcomes), 1)


def ece(outcomes: Sequence[Outcome]) -> float:
    reliability = Reliability()
    reliability.add(outcomes)
    return float(reliability.to_json()["ece"])


def pooled(per_doc: Sequence[list[Outcome]], keep: int | None = None) -> list[Outcome]:
    """All outcomes, or those of the documents with index % 2 == keep."""
    return [o for index, doc in enumerate(per_doc) if keep is None or index % 2 == keep for o in doc]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with polnear/, szeged-uncertainty/, ner/")
    parser.add_argument("--model-dir", type=Path, default=default_model_dir())
    parser.add_argument("--write", action="store_true", help="store the fitted temperatures in config.json")
    args = parser.parse_args(argv)

    dev = load_dev(args.data)
    corpora = {"polnear": dev.polnear, "szeged_wiki": dev.szeged_wiki, "re3d": dev.re3d}
    tagger = TokenTagger.load(args.model_dir)
    # outcomes[head][T] = per-document outcomes at temperature T
    outcomes: dict[str, dict[float, list[list[Outcome]]]] = {head: {} for head in HEAD_SPANS}
    for temperature in TEMPERATURES:
        tagger.temperature = {head: temperature for head in HEAD_SPANS}
        # Each corpus is tagged once per temperature; its heads' outcomes come from the same spans.
        tagged = {name: tagger.tag_batch([d.text for d in docs]) for name, docs in corpora.items()}
        for head, (corpus, kinds) in HEAD_SPANS.items():
            outcomes[head][temperature] = outcomes_per_doc(corpora[corpus], tagged[corpus], kinds)

    fitted: dict[str, float] = {}
    for head, by_temperature in outcomes.items():

        def best(keep: int | None, grid: dict[float, list[list[Outcome]]] = by_temperature) -> float:
            return min(grid, key=lambda t: log_loss(pooled(grid[t], keep)))

        # Held-out ECE: T chosen on one half of the documents, ECE measured on the other half.
        folds = [best(0), best(1)]
        held_out = [o for fit in (0, 1) for o in pooled(by_temperature[folds[fit]], 1 - fit)]
        fitted[head] = best(None)
        uncalibrated = pooled(by_temperature[1.0])
        print(
            f"{head:12} T = {fitted[head]:.1f} (folds: {folds[0]:.1f}, {folds[1]:.1f})   "
            f"ECE {ece(uncalibrated):.3f} uncalibrated -> {ece(held_out):.3f} held out ({len(uncalibrated)} spans)"
        )
    if args.write:
        config_path = args.model_dir / "config.json"
        config = json.loads(config_path.read_text(encoding="utf-8"))
        config["confidence_temperature"] = fitted
        config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        print(f"wrote confidence_temperature to {config_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
