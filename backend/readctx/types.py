"""The shapes readctx passes around: input documents, annotations, and the annotated document.

Every public JSON shape in ``docs/api.md`` is produced by a ``to_json`` method here, so the contract has one
home. Offsets are Unicode code points (Python ``str`` indices) into ``Doc.text``, end exclusive.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

AnnotationType = Literal["sourcing", "syndication", "glossary"]

SOURCING_LABELS = ("attribution", "vague_source", "hedge")
SYNDICATION_LABELS = (
    "origin_credit",
    "copyright",
    "byline",
    "wire_credit",
    "republication_notice",
    "boilerplate",
)
GLOSSARY_LABELS = ("entity", "acronym", "definition")
SOURCE_KINDS = ("named", "official", "anonymous", "vague", "media")
ENTITY_KINDS = ("PERSON", "ORG", "PLACE", "GROUP", "EQUIPMENT", "OTHER", "TERM")


@dataclass(frozen=True)
class Span:
    """A stretch of the document text; ``exact`` is always ``text[start:end]``."""

    start: int
    end: int
    exact: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "exact": self.exact}


@dataclass
class Annotation:
    """One highlight. ``start``/``end``/``exact`` are the cue; ``source`` and ``content`` complete a quote."""

    type: AnnotationType
    label: str
    start: int
    end: int
    exact: str
    confidence: float
    explanation: str
    annotator: str
    prefix: str = ""
    suffix: str = ""
    source: Span | None = None
    content: Span | None = None
    source_kind: str | None = None
    # Finer-grained kind where an annotator knows one: hedge cue type, credit party, entity kind.
    detail: str | None = None
    id: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "confidence": round(self.confidence, 4),
            "explanation": self.explanation,
            "annotator": self.annotator,
            "source": self.source.to_json() if self.source else None,
            "content": self.content.to_json() if self.content else None,
            "source_kind": self.source_kind,
            "detail": self.detail,
        }
        return out


@dataclass(frozen=True)
class InputDocument:
    """One document as a caller gives it: ``text`` or ``html`` (at least one), plus optional metadata."""

    id: str | None = None
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class PageMetadata:
    """What the HTML (or the caller) says about the page, beyond its text."""

    url: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Match:
    """An earlier document whose text overlaps this one."""

    id: str
    url: str | None
    similarity: float
    containment: float
    relation: str | None
    published: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "similarity": round(self.similarity, 4),
            "containment": round(self.containment, 4),
            "published": self.published,
        }
        if self.relation is not None:
            out["relation"] = self.relation
        return out


@dataclass
class Syndication:
    republished: bool = False
    origin: dict[str, str | None] | None = None
    publisher: str | None = None
    evidence: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    # Non-annotation evidence for the verdict: "meta:canonical", "meta:site_name", "match:<id>".
    signals: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "republished": self.republished,
            "origin": self.origin,
            "publisher": self.publisher,
            "evidence": list(self.evidence),
            "signals": list(self.signals),
            "matches": [m.to_json() for m in self.matches],
        }


@dataclass(frozen=True)
class Mention:
    start: int
    end: int

    def to_json(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass
class GlossaryEntry:
    term: str
    kind: str
    expansion: str | None = None
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    # Where the entry came from: "text" (defined in the page), "curated" (shipped glossary), "model", "rules".
    origin: str = "text"

    def to_json(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "kind": self.kind,
            "expansion": self.expansion,
            "aliases": list(self.aliases),
            "description": self.description,
            "mentions": [m.to_json() for m in self.mentions],
            "origin": self.origin,
        }


@dataclass(frozen=True)
class AnnotatorError:
    """A recorded degradation: one annotator could not finish on one document."""

    annotator: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"annotator": self.annotator, "message": self.message}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True)
class EntitySpan:
    """A name found by the model or by the rule fallback, with its kind."""

    start: int
    end: int
    kind: str
    confidence: float
    annotator: str  # "model" | "rules"
    explanation: str


@dataclass(frozen=True)
class TaggedSpan:
    """A span the transformer tagged (see ``readctx.transformer``); offsets as everywhere else."""

    task: str  # "attribution" | "content" | "hedge" | "entity"
    label: str
    start: int
    end: int
    confidence: float


@dataclass
class Doc:
    """The working document that annotators read and fill in, in pipeline order."""

    id: str
    text: str
    sentences: list[Sentence]
    metadata: PageMetadata = field(default_factory=PageMetadata)
    from_html: bool = False
    published: str | None = None
    tagged: list[TaggedSpan] | None = None
    annotations: list[Annotation] = field(default_factory=list)
    syndication: Syndication = field(default_factory=Syndication)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    errors: list[AnnotatorError] = field(default_factory=list)
    _issued_ids: int = 0

    def new_id(self) -> str:
        """A fresh annotation id ("a1", "a2", ...); the pipeline gives one to every annotation without."""
        self._issued_ids += 1
        return f"a{self._issued_ids}"

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.text, start, end)


class Annotator(Protocol):
    """A pipeline component: reads ``doc`` (and what earlier components left on it), returns annotations.

    Components that also produce a summary (syndication verdict, glossary entries) set it on ``doc``.
    """

    name: str

    def __call__(self, doc: Doc) -> list[Annotation]: ...


@dataclass
class ModelInfo:
    name: str
    version: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


@dataclass
class DocumentResult:
    """The public Document: what the service and the batch CLI return for one input."""

    doc: Doc
    model: ModelInfo
    language: str = "en"

    def to_json(self) -> dict[str, Any]:
        doc = self.doc
        out: dict[str, Any] = {
            "id": doc.id,
            "url": doc.metadata.url,
            "text_sha256": doc.text_sha256,
            "language": self.language,
        }
        if doc.from_html:
            out["text"] = doc.text
        out["metadata"] = doc.metadata.to_json()
        out["annotations"] = [a.to_json() for a in doc.annotations]
        out["syndication"] = doc.syndication.to_json()
        out["glossary"] = [g.to_json() for g in doc.glossary]
        out["errors"] = [e.to_json() for e in doc.errors]
        out["model"] = self.model.to_json()
        return out
