"""The pipeline component that runs the transformer once per document and leaves its spans on ``doc.tagged``.

Later components (sourcing cascade, glossary) read ``doc.tagged``; ``None`` means "no model output" and they
fall back to rules. A model that cannot load is a recorded degradation on every document, never a crash.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from .errors import ModelUnavailable
from .types import Annotation, Doc, ModelInfo, TaggedSpan

RULES_ONLY = ModelInfo(name="readctx-rules", version="0.1.0")


class SpanTagger(Protocol):
    name: str
    version: str

    def tag_batch(self, texts: Sequence[str]) -> Sequence[Sequence[TaggedSpan]]: ...


# Settings.model -> the model's folder inside the package. "fast" is the 3-layer student of the default
# 6-layer model: about twice as fast, about 2 points less F1 on cues and sources (its MODEL_CARD.md).
PACKAGED_MODELS = {"auto": "model", "fast": "model_fast"}


def packaged_model_dir(mode: str = "auto") -> Path:
    """The folder of a model shipped inside the package, by ``Settings.model`` mode."""
    return Path(__file__).resolve().parent / PACKAGED_MODELS[mode]


def load_packaged_tagger(mode: str = "auto") -> SpanTagger:
    """A model shipped inside the package (see ``PACKAGED_MODELS``); never a download."""
    try:
        from .transformer import TokenTagger
    except ImportError as error:  # pragma: no cover - depends on the install
        raise ModelUnavailable(f"the transformer runtime is not installed ({error}); pip install readctx") from error
    try:
        return TokenTagger.load(packaged_model_dir(mode))
    except FileNotFoundError as error:
        raise ModelUnavailable(f"the packaged model is missing: {error}") from error


class TransformerTagger:
    """Loads the model on first use (so ``readctx --help`` stays fast) and tags documents in batches."""

    name = "transformer"

    def __init__(self, loader: Callable[[], SpanTagger] = load_packaged_tagger) -> None:
        self._loader = loader
        self._tagger: SpanTagger | None = None
        self._failure: str | None = None
        self._lock = threading.Lock()

    def load(self) -> SpanTagger | None:
        with self._lock:
            if self._tagger is None and self._failure is None:
                try:
                    self._tagger = self._loader()
                except Exception as error:
                    self._failure = f"model unavailable, rules only: {error}"
            return self._tagger

    @property
    def info(self) -> ModelInfo:
        tagger = self.load()
        return ModelInfo(tagger.name, tagger.version) if tagger else RULES_ONLY

    def __call__(self, doc: Doc) -> list[Annotation]:
        self.tag_docs([doc])
        return []

    def tag_docs(self, docs: Sequence[Doc]) -> None:
        """Set ``doc.tagged`` on each document; raise (for the pipeline to record) when the model is missing."""
        tagger = self.load()
        if tagger is None:
            raise ModelUnavailable(self._failure or "model unavailable")
        for doc, spans in zip(docs, tagger.tag_batch([doc.text for doc in docs]), strict=True):
            doc.tagged = list(spans)
