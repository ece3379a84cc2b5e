"""Near-duplicate index: MinHash fingerprints of word shingles, LSH buckets in SQLite, and the annotator.

What is stored per document is its id, url, published date, the SHA-256 of its text, its shingle count and
its MinHash signature — never the text. A signature holds 128 hashed minima of word 5-grams; the words
cannot be read back from it.

Lookups go through LSH with one minimum per band: each of the 128 minima is a (band, bucket) row of an
indexed SQLite table, and a stored document is a candidate when it shares at least ``MIN_SHARED_BANDS`` (2)
of them with the query — so a query reads only the posting lists of its own minima, never the whole index.
Rewritten stories that keep some passages have a Jaccard of only 0.02-0.05 on 5-grams (METER's partially
derived stories), which wider bands would almost never surface: with 64 bands of 2 minima a J 0.025 pair is a
candidate 4 % of the time, and METER's average F1 through the index fell to 0.39. With single-minimum bands
and two shared, a J 0.025 pair is found 83 % of the time, J 0.05 99 %, while unrelated news (J 0.001) is a
candidate 0.7 % of the time. Candidates are then scored on the full signature.

Shingles are word 5-grams of normalised, lower-cased words. ``benchmarks/meter_reuse.py`` measures n = 3, 4
and 5 on METER (average F1, thresholds cross-validated by day: 0.585, 0.572, 0.561): shorter shingles
score a little higher on METER's heavily rewritten court stories, but they make stock news phrasing
("said in a statement", "one of the") collide between unrelated stories — more LSH candidates, and
incidental overlap closer to the partial threshold — while a copied passage shares its 5-grams and a
paraphrase does not. The copy/partial containment thresholds (0.19 / 0.04) are the ones fitted on METER
by that script; 0.04 is near the floor of what 128 minima can resolve (2-3 shared), so "partial" is the
noisiest verdict.

Containment alone cannot tell a short text rewritten throughout from one that merely quotes a passage:
a four-sentence text that shares one sentence with an indexed article has a containment of about 0.2 too.
So a ``copy`` also needs the shared shingles to reach across at least ``COPY_SPREAD`` (0.3) of this text:
the query's fingerprint remembers which twentieth of the text holds each of its minima, and the minima it
shares with the other text show how far apart the shared passages lie. One shared sentence of four reaches
across about a quarter of the text and is ``partial``; METER's wholly derived stories, rewritten from PA
copy, share phrases from beginning to end. A floor on the number of shared shingles does not work: METER's
wholly derived court briefs (30-60 words) share as few shingles (6-15 estimated) as a text quoting one
sentence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash

from .types import Annotation, Doc, Match

SHINGLE_WORDS = 5
NUM_PERM = 128
LSH_BANDS = 128
LSH_ROWS = NUM_PERM // LSH_BANDS
MIN_SHARED_BANDS = 2
_SEED = 1
_SCHEME = "affine32"  # pinned: signatures stored by one datasketch scheme are not comparable with another
_SCHEMA_VERSION = "1"

# Containment (share of this text's shingles found in the other) at or above which the pair is a "copy" /
# a "partial" derivation. Fitted on METER (PA copy vs. newspapers): average F1 0.561 (published: 0.664).
COPY_CONTAINMENT = 0.19
PARTIAL_CONTAINMENT = 0.04
# A "copy" also needs the shared shingles to reach across this share of the text, measured in twentieths
# (from the first to the last twentieth holding a shared minimum). A four-sentence text sharing one sentence
# with a long article is a "copy" by containment alone half the time; with 0.3 in 4 % of cases (those whose
# shared sentence is itself ~30 % of the text), with 0.25 in 15 %. METER's average F1 drops 0.561 -> 0.553
# (0.35, or 32 segments: 0.550).
COPY_SPREAD = 0.3
SPREAD_SEGMENTS = 20
MAX_CANDIDATES = 200
BUCKET_SAMPLE = 64
MAX_MATCHES = 10

_APOSTROPHES = re.compile(r"['’‘`´]")
_WORD = re.compile(r"[^\W_]+")


def normalised_words(text: str) -> list[str]:
    """Lower-cased words, NFKC-folded, apostrophes dropped ("don't" and "don’t" are one word)."""
    folded = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())
    return _WORD.findall(folded)


def _shingle_sequence(text: str, size: int) -> list[bytes]:
    """The ``size``-word shingles in text order, repeats included; a text shorter than ``size`` words is one."""
    words = normalised_words(text)
    if len(words) < size:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)]


def word_shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of ``size``-word shingles; a text shorter than ``size`` words is one shingle."""
    return set(_shingle_sequence(text, size))


@dataclass(frozen=True)
class Fingerprint:
    """What the index keeps of a text: its MinHash signature, shingle count and hash; and, for querying only
    (never stored), the first and last of ``SPREAD_SEGMENTS`` equal stretches of the text holding each minimum
    (a repeated shingle lies in several), and how many stretches the text's shingles fill from first to last."""

    signature: np.ndarray  # NUM_PERM uint32 minima
    shingles: int
    text_sha256: str
    first_segments: np.ndarray  # NUM_PERM segment numbers, 0 .. SPREAD_SEGMENTS - 1
    last_segments: np.ndarray
    filled_segments: int  # fewer than SPREAD_SEGMENTS only for a text of fewer shingles

    @classmethod
    def of(cls, text: str, size: int = SHINGLE_WORDS) -> Fingerprint:
        sequence = _shingle_sequence(text, size)
        segments: list[list[bytes]] = [[] for _ in range(SPREAD_SEGMENTS)]
        for position, shingle in enumerate(sequence):
            segments[position * SPREAD_SEGMENTS // len(sequence)].append(shingle)
        # One MinHash per stretch of the text: their element-wise minimum is the signature of the whole text
        # (minima of a union), and where each minimum comes from says where the text's shingles lie.
        minima = np.stack([m.hashvalues for m in MinHash.bulk(segments, num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)])
        signature = np.asarray(minima.min(axis=0), dtype="<u4")
        holds = minima == signature  # stretch x permutation: which stretches hold each minimum
        first = holds.argmax(axis=0).astype(np.uint8)
        last = (SPREAD_SEGMENTS - 1 - holds[::-1].argmax(axis=0)).astype(np.uint8)
        filled = [index for index, segment in enumerate(segments) if segment]
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        span = filled[-1] - filled[0] + 1 if filled else 0
        return cls(signature, len(set(sequence)), digest, first, last, span)

    def band_buckets(self) -> list[tuple[int, int]]:
        """(band, bucket) pairs; a bucket is a signed 64-bit hash of the band's minima (SQLite INTEGER)."""
        out = []
        for band in range(LSH_BANDS):
            rows = self.signature[band * LSH_ROWS : (band + 1) * LSH_ROWS].tobytes()
            digest = hashlib.blake2b(rows, digest_size=8).digest()
            out.append((band, int.from_bytes(digest, "big", signed=True)))
        return out


def estimate_overlap(this: Fingerprint, other_signature: np.ndarray, other_shingles: int) -> tuple[float, float]:
    """(Jaccard estimate, containment of this text's shingles in the other's, capped at 1).

    |A∩B| = J·(|A|+|B|)/(1+J), so containment = J·(|A|+|B|) / ((1+J)·|A|).
    """
    jaccard = float(np.count_nonzero(this.signature == other_signature)) / NUM_PERM
    if this.shingles == 0:
        return jaccard, 0.0
    containment = jaccard * (this.shingles + other_shingles) / ((1.0 + jaccard) * this.shingles)
    return jaccard, min(1.0, containment)


def shared_spread(this: Fingerprint, other_signature: np.ndarray) -> float:
    """The share of this text from the first to the last stretch holding a minimum shared with the other
    (0 when none is shared): one shared passage reaches across its own length, a rewrite across the text."""
    shared = this.signature == other_signature
    if not shared.any() or this.filled_segments == 0:
        return 0.0
    reach = int(this.last_segments[shared].max()) - int(this.first_segments[shared].min()) + 1
    return min(1.0, reach / this.filled_segments)


def relation_for(containment: float, spread: float) -> str | None:
    """``copy`` when enough of this text, reaching across enough of it, is in the other; else ``partial``
    when enough of it is; else None (incidental)."""
    if containment >= COPY_CONTAINMENT and spread >= COPY_SPREAD:
        return "copy"
    if containment >= PARTIAL_CONTAINMENT:
        return "partial"
    return None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    row INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    url TEXT,
    published TEXT,
    text_sha256 TEXT NOT NULL,
    shingles INTEGER NOT NULL,
    signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS buckets (
    band INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    row INTEGER NOT NULL REFERENCES documents(row) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS buckets_lookup_newest ON buckets(band, bucket, row);
CREATE INDEX IF NOT EXISTS buckets_row ON buckets(row);
"""


class FingerprintIndex:
    """A SQLite-backed MinHash/LSH index; safe to share between threads (one connection, one lock) and,
    through WAL mode and a busy timeout, between processes on one file."""

    def __init__(self, path: Path | str | None = None) -> None:
        target = ":memory:" if path is None or str(path) == ":memory:" else str(path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(target, check_same_thread=False, timeout=30.0, isolation_level=None)
        with self._lock:
            if target != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
                # WAL + NORMAL cannot corrupt the file; a power cut may lose the last few adds (an index).
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            self._check_settings()

    def _check_settings(self) -> None:
        expected = {
            "schema": _SCHEMA_VERSION,
            "shingle_words": str(SHINGLE_WORDS),
            "num_perm": str(NUM_PERM),
            "lsh_rows": str(LSH_ROWS),
            "lsh_bands": str(LSH_BANDS),
            "minhash": f"datasketch-{_SCHEME}-seed{_SEED}",
        }
        stored = dict(self._db.execute("SELECT key, value FROM settings").fetchall())
        if stored and stored != expected:
            # Signatures made another way are not comparable; start over rather than report nonsense.
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM buckets")
            self._db.execute("DELETE FROM documents")
            self._db.execute("DELETE FROM settings")
            stored = {}
            self._db.execute("COMMIT")
        if not stored:
            self._db.executemany("INSERT OR REPLACE INTO settings VALUES (?, ?)", expected.items())

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def query(self, fingerprint: Fingerprint, *, doc_id: str | None = None, url: str | None = None) -> list[Match]:
        """Indexed documents sharing an LSH bucket with ``fingerprint``, most similar first.

        A row under the same ``doc_id``, or at the same ``url`` (query string and fragment aside), is this
        document, perhaps an older version of it (an edited page fetched again), not a match.
        """
        if fingerprint.shingles == 0:
            return []
        # Each bucket contributes at most BUCKET_SAMPLE of its newest rows: in a corpus full of near-copies of
        # one story a bucket holds thousands, and reading them all would make every lookup grow with the index.
        buckets = fingerprint.band_buckets()
        sample = "SELECT * FROM (SELECT row FROM buckets WHERE band = ? AND bucket = ? ORDER BY row DESC LIMIT ?)"
        # Counted inside SQLite: with a popular story's buckets full, that is ~LSH_BANDS x BUCKET_SAMPLE rows,
        # too many to count one by one in Python on every lookup. Ties go to the newest rows.
        query = (
            f"SELECT row, count(*) AS shared FROM ({' UNION ALL '.join([sample] * len(buckets))}) "
            "GROUP BY row HAVING shared >= ? ORDER BY shared DESC, row DESC LIMIT ?"
        )
        parameters = [value for band, bucket in buckets for value in (band, bucket, BUCKET_SAMPLE)]
        with self._lock:
            candidates = [row for row, _ in self._db.execute(query, (*parameters, MIN_SHARED_BANDS, MAX_CANDIDATES))]
            marks = ",".join("?" * len(candidates))
            rows = (
                self._db.execute(
                    "SELECT doc_id, url, published, text_sha256, shingles, signature FROM documents "
                    f"WHERE row IN ({marks})",
                    candidates,
                ).fetchall()
                if candidates
                else []
            )
        own_url = _page_url(url)
        matches = []
        for other_id, other_url, published, _sha, shingles, blob in rows:
            if other_id == doc_id or (own_url is not None and _page_url(other_url) == own_url):
                continue
            signature = np.frombuffer(blob, dtype="<u4")
            similarity, containment = estimate_overlap(fingerprint, signature, shingles)
            relation = relation_for(containment, shared_spread(fingerprint, signature))
            matches.append(Match(other_id, other_url, similarity, containment, relation, published))
        matches.sort(key=lambda m: (-m.similarity, -m.containment, m.id))
        return matches

    def add(
        self, doc_id: str, fingerprint: Fingerprint, *, url: str | None = None, published: str | None = None
    ) -> None:
        """Index a document; an id already present is replaced."""
        if fingerprint.shingles == 0:
            return
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
                cursor = self._db.execute(
                    "INSERT INTO documents (doc_id, url, published, text_sha256, shingles, signature) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        doc_id,
                        url,
                        published,
                        fingerprint.text_sha256,
                        fingerprint.shingles,
                        fingerprint.signature.astype("<u4").tobytes(),
                    ),
                )
                row = cursor.lastrowid
                self._db.executemany(
                    "INSERT INTO buckets (band, bucket, row) VALUES (?, ?, ?)",
                    [(band, bucket, row) for band, bucket in fingerprint.band_buckets()],
                )
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _page_url(url: str | None) -> str | None:
    """The URL without its query string and fragment: one page, whatever the tracking parameters."""
    if not url or not url.strip():
        return None
    return urlsplit(url.strip())._replace(query="", fragment="").geturl()


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


class NearDuplicateAnnotator:
    """Matches each document against the index, then adds it, so later documents match earlier ones.

    Reports matches with a relation, or whose similarity or containment reaches ``match_threshold``. A
    ``copy`` of a document published earlier (or, without dates, indexed earlier) marks this one republished.
    """

    name = "near_duplicates"

    def __init__(self, index: FingerprintIndex | None, match_threshold: float = 0.5) -> None:
        self.index = index  # None: indexing is off, the annotator does nothing
        self.match_threshold = match_threshold

    def __call__(self, doc: Doc) -> list[Annotation]:
        if self.index is None:
            return []
        fingerprint = Fingerprint.of(doc.text)
        found = self.index.query(fingerprint, doc_id=doc.id, url=doc.metadata.url)
        reported = [
            m for m in found if m.relation is not None or max(m.similarity, m.containment) >= self.match_threshold
        ][:MAX_MATCHES]
        doc.syndication.matches = reported
        own_day = _day(doc.published)
        for match in reported:
            other_day = _day(match.published)
            earlier = other_day is None or own_day is None or other_day <= own_day
            if match.relation == "copy" and earlier:
                self._mark_republished(doc, match)
                break
        self.index.add(doc.id, fingerprint, url=doc.metadata.url, published=doc.published)
        return []

    @staticmethod
    def _mark_republished(doc: Doc, match: Match) -> None:
        syndication = doc.syndication
        syndication.republished = True
        if syndication.origin is None:
            syndication.origin = {"name": _host(match.url), "url": match.url}
        elif not syndication.origin.get("url"):
            syndication.origin["url"] = match.url
        signal = f"match:{match.id}"
        if signal not in syndication.signals:
            syndication.signals.append(signal)
