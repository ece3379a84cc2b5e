"""Near-duplicate index: relations, persistence, privacy of the stored file, and the annotator."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from readctx.index import (
    COPY_CONTAINMENT,
    COPY_SPREAD,
    PARTIAL_CONTAINMENT,
    Fingerprint,
    FingerprintIndex,
    NearDuplicateAnnotator,
    estimate_overlap,
    normalised_words,
    relation_for,
    shared_spread,
    word_shingles,
)
from readctx.text import prepare
from readctx.types import Doc, InputDocument

_NEWS_WORDS = (
    "council budget river school police court harbour minister union strike grain clinic nurse vote "
    "bill storm coast farmer price market bank energy plant inspector report talks deal city county "
    "road bridge water fire health museum train airport election mayor judge jury witness company "
    "worker rent housing"
)
_VOCABULARY = _NEWS_WORDS.split()


def prose(words: int, seed: int) -> str:
    """Deterministic filler prose: random words from a small news vocabulary, in sentences."""
    rng = random.Random(seed)
    sentences, current = [], []
    for _ in range(words):
        current.append(rng.choice(_VOCABULARY))
        if len(current) == 12:
            sentences.append(" ".join(current).capitalize() + ".")
            current = []
    if current:
        sentences.append(" ".join(current).capitalize() + ".")
    return " ".join(sentences)


def make_doc(text: str, doc_id: str, url: str | None = None, published: str | None = None) -> Doc:
    item = InputDocument(text=text, url=url, published=published)
    return prepare(item, default_id=doc_id, max_text_chars=10**6)


ORIGINAL = prose(300, seed=1)


def test_normalisation_and_shingles() -> None:
    assert normalised_words("Don’t STOP, don't stop!") == ["dont", "stop", "dont", "stop"]
    assert word_shingles("one two three four five six") == {
        b"one two three four five",
        b"two three four five six",
    }
    assert word_shingles("just three words") == {b"just three words"}
    assert word_shingles("  ...  ") == set()


def test_relation_thresholds() -> None:
    assert relation_for(1.0, 1.0) == "copy"
    assert relation_for(COPY_CONTAINMENT, COPY_SPREAD) == "copy"
    assert relation_for(COPY_CONTAINMENT - 0.01, 1.0) == "partial"
    # Enough of the text is shared, but in one passage that does not reach across it.
    assert relation_for(1.0, COPY_SPREAD - 0.05) == "partial"
    assert relation_for(PARTIAL_CONTAINMENT, 0.05) == "partial"
    assert relation_for(PARTIAL_CONTAINMENT - 0.01, 1.0) is None


def test_the_signature_is_the_minhash_of_the_whole_text_and_segments_say_where_minima_lie() -> None:
    # Hashed in twentieths of the text, the signature must still be the one of the whole shingle set: stored
    # signatures are compared with it.
    whole = MinHash(num_perm=128, seed=1, scheme="affine32")
    whole.update_batch(list(word_shingles(ORIGINAL)))
    fingerprint = Fingerprint.of(ORIGINAL)
    assert np.array_equal(fingerprint.signature, whole.hashvalues)
    assert fingerprint.shingles == len(word_shingles(ORIGINAL))
    assert shared_spread(fingerprint, fingerprint.signature) == 1.0
    assert shared_spread(fingerprint, Fingerprint.of(prose(300, seed=3)).signature) == 0.0
    # Shared only in its first tenth: the shared minima all lie in the first two twentieths.
    opening = Fingerprint.of(" ".join(ORIGINAL.split()[:30]))
    assert 0.0 < shared_spread(fingerprint, opening.signature) <= 0.1


def test_copy_partial_and_unrelated() -> None:
    index = FingerprintIndex(None)
    index.add("original", Fingerprint.of(ORIGINAL), url="https://wire.example/a", published="2024-03-01")
    # A republished copy with a new first sentence and a footer.
    copy = "Our correspondent adds local detail here. " + ORIGINAL + " Reporting by Jane Doe."
    [match] = index.query(Fingerprint.of(copy))
    assert (match.id, match.url, match.relation, match.published) == (
        "original",
        "https://wire.example/a",
        "copy",
        "2024-03-01",
    )
    assert match.similarity > 0.85 and match.containment > 0.9
    # A rewrite that keeps one passage (50 of ~330 words) of the original.
    passage = " ".join(ORIGINAL.split()[100:150])
    rewrite = prose(280, seed=2) + " " + passage
    [partial] = index.query(Fingerprint.of(rewrite))
    assert partial.relation == "partial"
    assert PARTIAL_CONTAINMENT <= partial.containment < COPY_CONTAINMENT
    # Unrelated text on the same vocabulary shares no 5-word run worth a match.
    assert index.query(Fingerprint.of(prose(300, seed=3))) == []


SHARED_SENTENCE = (
    "The council voted on Tuesday to close the river bridge to lorries until inspectors finish their report on "
    "the cracked supports."
)


def test_a_short_text_quoting_one_sentence_of_an_article_is_not_a_copy() -> None:
    index = FingerprintIndex(None)
    cut = ORIGINAL.index(". ", len(ORIGINAL) // 2) + 2
    index.add("article", Fingerprint.of(ORIGINAL[:cut] + SHARED_SENTENCE + " " + ORIGINAL[cut:]))
    short = (
        "Hundreds of residents packed the town hall on Wednesday evening to hear what the closure would mean "
        f"for them. {SHARED_SENTENCE} Shop owners on the high street said they feared weeks of lost trade if "
        "delivery vans had to take the long way round. The mayor promised that the council would publish a "
        "timetable for the repairs before the end of the month."
    )
    [match] = index.query(Fingerprint.of(short))
    # A fifth of the short text is in the article, as much as METER's copies share: containment alone would
    # call it a copy. The shared shingles all lie in one sentence, so it is a partial derivation.
    assert match.containment >= COPY_CONTAINMENT
    assert match.relation == "partial"


def test_a_short_text_reprinted_whole_is_a_copy() -> None:
    index = FingerprintIndex(None)
    brief = (
        "The council voted on Tuesday to close the river bridge to lorries. Inspectors found cracks in two of "
        "its supports last week. The bridge stays open to cars and buses."
    )
    index.add("brief", Fingerprint.of(brief))
    [match] = index.query(Fingerprint.of("From our partners: " + brief))
    assert match.relation == "copy"


def test_containment_is_the_share_of_this_text() -> None:
    index = FingerprintIndex(None)
    index.add("long", Fingerprint.of(ORIGINAL))
    excerpt = " ".join(ORIGINAL.split()[:120])
    [match] = index.query(Fingerprint.of(excerpt))
    assert match.relation == "copy"
    # All of the excerpt is in the long text (an estimate: exact would be 1.0), yet the texts are far from
    # identical (exact Jaccard 116/296 = 0.39).
    assert 0.85 < match.containment <= 1.0
    assert 0.25 < match.similarity < 0.55


def test_same_id_same_text_is_not_a_match_and_readding_replaces() -> None:
    index = FingerprintIndex(":memory:")
    fingerprint = Fingerprint.of(ORIGINAL)
    index.add("a", fingerprint)
    assert index.query(fingerprint, doc_id="a") == []
    [other] = index.query(fingerprint, doc_id="b")
    assert (other.id, other.similarity, other.containment, other.relation) == ("a", 1.0, 1.0, "copy")
    index.add("a", fingerprint, url="https://x.example/new")
    assert len(index) == 1
    assert index.query(fingerprint)[0].url == "https://x.example/new"


def test_empty_text_is_neither_indexed_nor_matched() -> None:
    index = FingerprintIndex(None)
    empty = Fingerprint.of("— … —")
    index.add("empty", empty)
    assert len(index) == 0
    assert index.query(empty) == []


def test_persists_across_reopening(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "index.sqlite"
    first = FingerprintIndex(path)
    first.add("story-1", Fingerprint.of(ORIGINAL), url="https://wire.example/1", published="2024-01-02")
    first.close()
    reopened = FingerprintIndex(path)
    assert len(reopened) == 1
    [match] = reopened.query(Fingerprint.of(ORIGINAL))
    assert (match.id, match.url, match.published, match.relation) == (
        "story-1",
        "https://wire.example/1",
        "2024-01-02",
        "copy",
    )
    reopened.close()


def test_the_file_never_holds_the_text(tmp_path: Path) -> None:
    canary = "Zxqvcanary Plumbfeather"
    text = ORIGINAL + f" The secret word is {canary} and nothing else."
    index = FingerprintIndex(tmp_path / "index.sqlite")
    index.add("doc", Fingerprint.of(text))
    index.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert stored  # the database (and any WAL) was written
    for needle in (canary, canary.lower(), "zxqvcanary", "secret word is", ORIGINAL[:40]):
        assert needle.encode() not in stored


def test_concurrent_adds_from_threads(tmp_path: Path) -> None:
    index = FingerprintIndex(tmp_path / "index.sqlite")
    texts = {f"doc{n}": prose(80, seed=100 + n) for n in range(16)}

    def work(doc_id: str) -> None:
        fingerprint = Fingerprint.of(texts[doc_id])
        index.query(fingerprint, doc_id=doc_id)
        index.add(doc_id, fingerprint)

    threads = [threading.Thread(target=work, args=(doc_id,)) for doc_id in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(index) == 16
    assert [m.id for m in index.query(Fingerprint.of(texts["doc7"]))] == ["doc7"]


def test_annotator_matches_later_documents_to_earlier_ones() -> None:
    annotate = NearDuplicateAnnotator(FingerprintIndex(None), 0.5)
    wire = make_doc(ORIGINAL, "wire", url="https://wire.example/story", published="2024-03-01")
    assert annotate(wire) == []
    assert wire.syndication.matches == [] and wire.syndication.republished is False

    reprint = make_doc(
        "Local intro sentence. " + ORIGINAL, "reprint", url="https://paper.example/s", published="2024-03-02"
    )
    annotate(reprint)
    [match] = reprint.syndication.matches
    assert (match.id, match.relation, match.published) == ("wire", "copy", "2024-03-01")
    assert reprint.syndication.republished is True
    assert reprint.syndication.origin == {"name": "wire.example", "url": "https://wire.example/story"}
    assert reprint.syndication.signals == ["match:wire"]


def test_annotator_does_not_call_the_earlier_published_text_a_republication() -> None:
    annotate = NearDuplicateAnnotator(FingerprintIndex(None), 0.5)
    annotate(make_doc(ORIGINAL + " Extra closing line.", "late-copy", published="2024-05-09"))
    original = make_doc(ORIGINAL, "original", published="2024-05-01")
    annotate(original)
    assert [m.id for m in original.syndication.matches] == ["late-copy"]
    assert original.syndication.republished is False
    assert original.syndication.origin is None


def test_annotator_keeps_an_origin_named_by_a_credit() -> None:
    annotate = NearDuplicateAnnotator(FingerprintIndex(None), 0.5)
    annotate(make_doc(ORIGINAL, "wire", url="https://wire.example/story"))
    reprint = make_doc(ORIGINAL, "reprint")
    reprint.syndication.republished = True
    reprint.syndication.origin = {"name": "Reuters", "url": None}
    annotate(reprint)
    assert reprint.syndication.origin == {"name": "Reuters", "url": "https://wire.example/story"}


@pytest.mark.parametrize("threshold", [0.5, 0.99])
def test_incidental_overlap_is_not_reported(threshold: float) -> None:
    annotate = NearDuplicateAnnotator(FingerprintIndex(None), threshold)
    annotate(make_doc(ORIGINAL, "first"))
    # Ten words in common with a 300-word text: well below the partial threshold.
    later = make_doc(prose(300, seed=9) + " " + " ".join(ORIGINAL.split()[:10]), "later")
    annotate(later)
    assert later.syndication.matches == []


def test_annotator_without_index_does_nothing() -> None:
    doc = make_doc(ORIGINAL, "x")
    assert NearDuplicateAnnotator(None)(doc) == []
    assert doc.syndication.matches == []


def test_an_edited_page_fetched_again_is_not_its_own_origin() -> None:
    # The service uses the URL as the id: the edited page replaces its old version, it is not a copy of it.
    annotate = NearDuplicateAnnotator(FingerprintIndex(None), 0.5)
    url = "https://paper.example/story"
    first = make_doc("Updated 10:00. " + ORIGINAL, url, url=url, published="2024-03-01")
    annotate(first)
    edited = make_doc("Updated 11:00. " + ORIGINAL, url, url=url, published="2024-03-01")
    annotate(edited)
    assert edited.syndication.matches == []
    assert edited.syndication.republished is False and edited.syndication.origin is None
    assert annotate.index is not None and len(annotate.index) == 1


def test_the_same_url_under_another_id_or_with_tracking_parameters_is_not_a_match() -> None:
    index = FingerprintIndex(None)
    old, new = Fingerprint.of("Updated 10:00. " + ORIGINAL), Fingerprint.of("Updated 11:00. " + ORIGINAL)
    index.add("old-id", old, url="https://paper.example/story?utm_source=x#top")
    assert index.query(new, doc_id="new-id", url="https://paper.example/story") == []
    assert index.query(new, doc_id="old-id") == []  # same id, different text: still this document
    [other] = index.query(new, doc_id="new-id", url="https://paper.example/other-story")
    assert other.id == "old-id" and other.relation == "copy"


def test_identical_short_or_repetitive_texts_are_copies() -> None:
    for text in ("Police arrested two men.", "a b c d e " * 50):
        this, other = Fingerprint.of(text), Fingerprint.of(text)
        assert shared_spread(this, other.signature) == 1.0
        assert relation_for(estimate_overlap(this, other.signature, other.shingles)[1], 1.0) == "copy"
    assert shared_spread(Fingerprint.of(""), Fingerprint.of("").signature) == 0.0
