"""The packaged token tagger: loading, known sentences, offsets on non-Latin text, and the pure helpers."""

from __future__ import annotations

import json
import math

import pytest

from readctx.config import MODEL_MODES
from readctx.decoding import HEAD_LABELS, log_softmax, spans_from_tags
from readctx.tagger import PACKAGED_MODELS, packaged_model_dir
from readctx.transformer import TaggedSpan, casing_class, default_model_dir, plan_chunks
from readctx.types import Sentence

MINISTER = "The minister said on Tuesday that talks would resume."


# --------------------------------------------------------------------------- pure helpers


def test_viterbi_never_starts_a_span_with_inside() -> None:
    np = pytest.importorskip("numpy")
    from readctx.decoding import viterbi_bio

    labels = HEAD_LABELS["attribution"]  # O B-CUE I-CUE B-SOURCE I-SOURCE
    # Token 0 prefers I-CUE (invalid at the start), token 1 prefers I-SOURCE after a cue (invalid).
    probs = np.array([[0.1, 0.3, 0.6, 0.0, 0.0], [0.1, 0.0, 0.3, 0.0, 0.6]], dtype=np.float32)
    path = viterbi_bio(np.log(probs + 1e-9), labels)
    assert [labels[i] for i in path] == ["B-CUE", "I-CUE"]


def _best_valid_path(log_probs: list[list[float]], labels: list[str]) -> list[int]:
    """Brute force: the highest-scoring BIO-valid tag sequence (the first one on ties)."""
    import itertools

    def valid(path: tuple[int, ...]) -> bool:
        previous = "O"
        for tag in path:
            label = labels[tag]
            if label.startswith("I-") and previous[2:] != label[2:]:
                return False
            previous = label
        return True

    candidates = (p for p in itertools.product(range(len(labels)), repeat=len(log_probs)) if valid(p))
    return list(max(candidates, key=lambda p: sum(log_probs[t][tag] for t, tag in enumerate(p))))


def test_batched_viterbi_finds_the_best_valid_path_for_rows_of_any_length() -> None:
    np = pytest.importorskip("numpy")
    from readctx.decoding import viterbi_bio_batch

    labels = HEAD_LABELS["attribution"]
    rng = np.random.default_rng(7)
    # Random scores put I- tags after O often, so most rows need the dynamic programme; the
    # padding rows carry large scores that must not leak into shorter rows.
    log_probs = rng.normal(size=(6, 5, len(labels))).astype(np.float32)
    lengths = [5, 3, 1, 0, 4, 5]
    for row, length in enumerate(lengths):
        log_probs[row, length:, 2] = 50.0
    paths = viterbi_bio_batch(log_probs, lengths, labels)
    expected = [_best_valid_path(log_probs[row, :length].tolist(), labels) for row, length in enumerate(lengths)]
    assert paths == expected
    assert [len(path) for path in paths] == lengths


def test_one_viterbi_pass_for_all_heads_matches_each_head_alone() -> None:
    np = pytest.importorskip("numpy")
    from readctx.decoding import viterbi_bio_batch, viterbi_bio_heads

    rng = np.random.default_rng(11)
    lengths = [4, 2, 0, 4, 3]
    # Heads of different widths (5, 3 and 13 labels); random scores break BIO in most rows.
    heads = [
        (rng.normal(size=(5, 4, len(HEAD_LABELS[task]))).astype(np.float32), HEAD_LABELS[task])
        for task in ("attribution", "content", "entity")
    ]
    together = viterbi_bio_heads(heads, lengths)
    assert together == [viterbi_bio_batch(log_probs, lengths, labels) for log_probs, labels in heads]
    assert together[2] == [
        _best_valid_path(heads[2][0][row, :length].tolist(), HEAD_LABELS["entity"])
        for row, length in enumerate(lengths)
    ]


def test_spans_merge_same_type_across_whitespace_only() -> None:
    text = "He has said, Mr. Obama"
    offsets = [(0, 2), (3, 6), (7, 11), (11, 12), (13, 16), (17, 22)]
    labels = HEAD_LABELS["attribution"]
    b_cue, b_src = labels.index("B-CUE"), labels.index("B-SOURCE")
    tags = [0, b_cue, b_cue, 0, b_src, b_src]
    spans = spans_from_tags("attribution", tags, [1.0, 0.8, 0.6, 1.0, 0.5, 0.7], labels, offsets, text)
    assert [(s.label, text[s.start : s.end]) for s in spans] == [("cue", "has said"), ("source", "Mr. Obama")]
    assert spans[0].confidence == pytest.approx(0.7)


def test_spans_are_whole_words() -> None:
    text = "Mr. McAllister spoke hypothetically."
    offsets = [(0, 2), (2, 3), (4, 6), (6, 7), (7, 14), (15, 20), (21, 25), (25, 32), (32, 35), (35, 36)]
    labels = HEAD_LABELS["entity"]
    tags = [0, 0, 0, labels.index("B-PERSON"), 0, 0, 0, 0, 0, 0]  # only "A" of "McAllister"
    (span,) = spans_from_tags("entity", tags, [1.0] * 10, labels, offsets, text)
    assert text[span.start : span.end] == "McAllister"
    hedge = HEAD_LABELS["hedge"]
    tags = [0, 0, 0, 0, 0, 0, hedge.index("B-HEDGE"), hedge.index("I-HEDGE"), 0, 0]  # "hypothetical" + "ly"
    (span,) = spans_from_tags("hedge", tags, [1.0] * 10, hedge, offsets, text)
    assert text[span.start : span.end] == "hypothetically"


def test_plan_chunks_packs_sentences_and_splits_long_ones() -> None:
    # Two 3-token sentences and one 7-token sentence of single-character words.
    text = "a b c. d e f. g h i j k l m."
    offsets = [(i, i + 1) for i, ch in enumerate(text) if not ch.isspace()]
    sentences = [Sentence(0, 6), Sentence(7, 13), Sentence(14, len(text))]
    chunks = plan_chunks(offsets, sentences, max_tokens=8)
    assert chunks == [(0, 8), (8, 16)]
    # Each chunk starts at a sentence start when sentences fit.
    assert plan_chunks(offsets, sentences, max_tokens=9) == [(0, 8), (8, 16)]
    assert all(last - first <= 5 for first, last in plan_chunks(offsets, sentences, max_tokens=5))


def test_casing_classes() -> None:
    assert [casing_class(w) for w in ("said", "Obama", "NATO", "McCain", "2016", "北京", "A")] == [
        1,
        2,
        3,
        4,
        5,
        1,
        2,
    ]


# --------------------------------------------------------------------------- the packaged model

pytest.importorskip("onnxruntime")
pytest.importorskip("transformers")


@pytest.fixture(scope="module", params=sorted(PACKAGED_MODELS))
def tagger(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Each packaged model: the default one and its 3-layer student (``model: fast``)."""
    from readctx.transformer import TokenTagger

    return TokenTagger.load(packaged_model_dir(request.param))


def test_every_model_mode_but_off_names_a_packaged_model() -> None:
    assert sorted(PACKAGED_MODELS) == sorted(set(MODEL_MODES) - {"off"})
    assert all((packaged_model_dir(mode) / "config.json").is_file() for mode in PACKAGED_MODELS)


def _found(spans: list[TaggedSpan], text: str) -> set[tuple[str, str, str]]:
    return {(s.task, s.label, text[s.start : s.end]) for s in spans}


def test_models_load_from_package() -> None:
    from readctx.transformer import TokenTagger

    default = TokenTagger.load()
    assert default.model_dir == default_model_dir()
    assert default.name == "readctx-minilm-multitask"
    assert set(default.heads) == {"attribution", "content", "hedge", "entity"}
    # Fitted by training.calibrate (see the model card).
    assert default.temperature == {"attribution": 1.2, "content": 1.0, "hedge": 1.2, "entity": 1.4}
    assert default.train_command.startswith("python -m training.train --data ")
    assert "--hold-out-agreement-set" not in default.train_command
    fast = TokenTagger.load(packaged_model_dir("fast"))
    assert (fast.name, fast.heads) == ("readctx-minilm-l3-multitask", default.heads)
    config = json.loads((fast.model_dir / "config.json").read_text(encoding="utf-8"))
    assert config["encoder_layers"] == 3
    assert fast.temperature == {"attribution": 1.4, "content": 1.0, "hedge": 1.6, "entity": 1.4}


def test_attribution_of_a_known_sentence(tagger) -> None:  # type: ignore[no-untyped-def]
    found = _found(tagger.tag(MINISTER), MINISTER)
    assert ("attribution", "cue", "said") in found
    assert ("attribution", "source", "The minister") in found
    # PolNeAR's content spans include the complementiser ("that ...") in 2,424 of 23,292 train spans.
    assert ("content", "content", "that talks would resume") in found


def test_hedge_and_entities(tagger) -> None:  # type: ignore[no-untyped-def]
    text = "The attack was allegedly carried out by ISIS fighters near Aleppo."
    found = _found(tagger.tag(text), text)
    assert ("hedge", "hedge", "allegedly") in found
    assert ("entity", "ORG", "ISIS fighters") in found
    assert ("entity", "PLACE", "Aleppo") in found
    text = "It is believed that Bashar al-Assad left Damascus."
    found = _found(tagger.tag(text), text)
    assert ("hedge", "hedge", "believed") in found
    assert ("entity", "PERSON", "Bashar al-Assad") in found


def test_offsets_are_code_points_after_emoji_and_cjk(tagger) -> None:  # type: ignore[no-untyped-def]
    prefix = "😀🇸🇾 北京消息。 "
    text = prefix + MINISTER
    spans = tagger.tag(text)
    assert ("attribution", "cue", "said") in _found(spans, text)
    cue = next(s for s in spans if s.label == "cue" and text[s.start : s.end] == "said")
    assert cue.start == len(prefix) + MINISTER.index("said")
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert not text[span.start].isspace() and not text[span.end - 1].isspace()
        assert 0.0 < span.confidence <= 1.0 and not math.isnan(span.confidence)


def test_long_text_is_chunked_and_deterministic(tagger) -> None:  # type: ignore[no-untyped-def]
    text = " ".join([MINISTER] * 60)  # ~ 660 wordpieces: several chunks
    spans = tagger.tag(text)
    cues = [s for s in spans if s.label == "cue"]
    assert [text[s.start : s.end] for s in cues] == ["said"] * 60
    assert tagger.tag(text) == spans
    assert tagger.tag_batch(["", MINISTER, text]) == [[], tagger.tag(MINISTER), spans]


def test_temperature_rescales_confidences_but_never_the_tags() -> None:
    np = pytest.importorskip("numpy")
    from readctx.decoding import decode_head_batch

    labels = HEAD_LABELS["hedge"]  # O B-HEDGE I-HEDGE
    text = "It may rain"
    offsets = [(0, 2), (3, 6), (7, 11)]
    logits = np.array([[[3.0, 0.0, 0.0], [0.0, 2.0, 0.0], [3.0, 0.0, 0.0]]], dtype=np.float32)
    plain = decode_head_batch("hedge", logits, labels, [(offsets, text)])[0]
    cooled = decode_head_batch("hedge", logits, labels, [(offsets, text)], temperature=2.0)[0]
    assert (
        [(s.start, s.end, s.label) for s in plain] == [(s.start, s.end, s.label) for s in cooled] == [(3, 6, "hedge")]
    )
    assert plain[0].confidence == pytest.approx(math.exp(2) / (math.exp(2) + 2), abs=1e-4)
    assert cooled[0].confidence == pytest.approx(math.exp(1) / (math.exp(1) + 2), abs=1e-4)


def test_log_softmax_is_exact_where_probabilities_underflow() -> None:
    np = pytest.importorskip("numpy")
    values = log_softmax(np.array([[1000.0, 0.0], [0.0, 0.0]], dtype=np.float32))
    assert values.tolist() == [[0.0, -1000.0], [pytest.approx(-math.log(2)), pytest.approx(-math.log(2))]]
