from __future__ import annotations

from collections.abc import Sequence

from readctx.errors import InputError, ModelUnavailable
from readctx.pipeline import COMPONENTS, Pipeline
from readctx.sourcing import SourcingAnnotator
from readctx.tagger import TransformerTagger
from readctx.types import Annotation, Doc, InputDocument, TaggedSpan

TEXT = "Officials said the bridge was closed. Smith hopes to win."


class Exploding:
    name = "exploding"

    def __call__(self, doc: Doc) -> list[Annotation]:
        raise KeyError(doc.text)  # the message would quote the page


class Misplaced:
    name = "misplaced"

    def __call__(self, doc: Doc) -> list[Annotation]:
        return [Annotation("glossary", "entity", 0, 4, "nope", 0.5, "wrong offsets", "rules")]


class FakeTagger:
    name = "fake-tagger"
    version = "1"

    def __init__(self) -> None:
        self.batches: list[int] = []

    def tag_batch(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        self.batches.append(len(texts))
        out = []
        for text in texts:
            spans = []
            for cue in ("said", "hopes"):  # each after a one-word source
                start = text.find(cue)
                if start > 0:
                    source_start = text.rfind(" ", 0, start - 1) + 1
                    spans.append(TaggedSpan("attribution", "cue", start, start + len(cue), 0.8))
                    spans.append(TaggedSpan("attribution", "source", source_start, start - 1, 0.9))
            out.append(sorted(spans, key=lambda span: span.start))
        return out


def test_registry_lists_the_components_in_order() -> None:
    assert list(COMPONENTS) == ["sourcing", "syndication", "near_duplicates", "glossary"]


def test_a_failing_component_is_recorded_and_the_rest_still_run() -> None:
    pipeline = Pipeline([Exploding(), SourcingAnnotator(), Misplaced()])
    result = pipeline.annotate(InputDocument(text=TEXT))
    assert [e.to_json() for e in result.doc.errors] == [
        {"annotator": "exploding", "message": "KeyError (details withheld: they may quote the page)"},
        {"annotator": "misplaced", "message": "dropped an annotation with invalid offsets (entity)"},
    ]
    assert [a.exact for a in result.doc.annotations] == ["said"]
    assert "Officials said" not in str(result.to_json()["errors"])


def test_model_that_cannot_load_degrades_to_rules_and_says_so() -> None:
    def missing() -> FakeTagger:
        raise ModelUnavailable("no ONNX model at /nowhere/model.int8.onnx")

    pipeline = Pipeline([SourcingAnnotator()], tagger=TransformerTagger(missing))
    result = pipeline.annotate(InputDocument(text=TEXT))
    assert result.to_json()["errors"] == [
        {
            "annotator": "transformer",
            "message": "model unavailable, rules only: no ONNX model at /nowhere/model.int8.onnx",
        }
    ]
    assert result.model.name == "readctx-rules"
    assert [a.exact for a in result.doc.annotations] == ["said"]


def test_batch_tags_documents_together_and_keeps_bad_ones_in_place() -> None:
    fake = FakeTagger()
    pipeline = Pipeline([SourcingAnnotator()], tagger=TransformerTagger(lambda: fake))
    results = pipeline.annotate_batch(
        [(InputDocument(text=TEXT), "a"), (InputDocument(text=" "), "b"), (InputDocument(text="Smith hopes."), "c")]
    )
    assert fake.batches == [2]
    first, second, third = results
    assert isinstance(second, InputError)
    assert not isinstance(first, InputError) and not isinstance(third, InputError)
    assert [(a.exact, a.annotator) for a in first.doc.annotations] == [("said", "rules+model"), ("hopes", "model")]
    assert first.model.to_json() == {"name": "fake-tagger", "version": "1"}
    assert [a.id for a in third.doc.annotations] == ["a1"]
