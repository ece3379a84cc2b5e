"""The pipeline: input document → text and sentences → components in order → one public Document.

Components are registered in one place, ``COMPONENTS``; each is ``__call__(doc) -> list[Annotation]``.
A component that fails on a document is recorded in that document's ``errors`` and the rest still run:
degradation is visible, never silent and never a crash. Error messages name the component and the
exception type only (an exception's text could quote the page, which must not leave the process).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .config import Settings
from .errors import InputError, ReadctxError
from .glossary import GlossaryAnnotator
from .index import FingerprintIndex, NearDuplicateAnnotator
from .selectors import fill_selectors
from .sourcing import SourcingAnnotator
from .syndication import SyndicationAnnotator
from .tagger import RULES_ONLY, TransformerTagger, load_packaged_tagger
from .text import detect_language, prepare
from .types import Annotation, Annotator, AnnotatorError, Doc, DocumentResult, InputDocument, ModelInfo

log = logging.getLogger("readctx.pipeline")


@dataclass(frozen=True)
class Resources:
    settings: Settings
    index: FingerprintIndex | None


# The registry: every component readctx runs, in order. The transformer runs before (see ``Pipeline``).
COMPONENTS: dict[str, Callable[[Resources], Annotator]] = {
    "sourcing": lambda res: SourcingAnnotator(),
    "syndication": lambda res: SyndicationAnnotator(),
    "near_duplicates": lambda res: NearDuplicateAnnotator(res.index, res.settings.match_threshold),
    "glossary": lambda res: GlossaryAnnotator(),
}


class Pipeline:
    def __init__(
        self,
        components: Sequence[Annotator],
        *,
        tagger: TransformerTagger | None = None,
        max_text_chars: int = Settings.max_text_chars,
    ) -> None:
        self.components = list(components)
        self.tagger = tagger
        self.max_text_chars = max_text_chars

    @classmethod
    def from_settings(cls, settings: Settings, *, index: FingerprintIndex | None = None) -> Pipeline:
        if index is None and settings.index:
            settings.home.mkdir(parents=True, exist_ok=True)
            index = FingerprintIndex(settings.index_path)
        resources = Resources(settings, index)
        components = [
            factory(resources) for name, factory in COMPONENTS.items() if name != "near_duplicates" or index is not None
        ]
        tagger = None
        if settings.model != "off":
            tagger = TransformerTagger(functools.partial(load_packaged_tagger, settings.model))
        return cls(components, tagger=tagger, max_text_chars=settings.max_text_chars)

    @property
    def model(self) -> ModelInfo:
        """The transformer in use, or the rules-only marker when it is off or cannot load."""
        return self.tagger.info if self.tagger else RULES_ONLY

    def annotate(self, item: InputDocument, default_id: str = "document") -> DocumentResult:
        """Annotate one document; raises ``InputError``/``PayloadTooLarge`` for input that cannot be read."""
        result = self.annotate_batch([(item, default_id)])[0]
        if isinstance(result, ReadctxError):
            raise result
        return result

    def annotate_batch(self, items: Sequence[tuple[InputDocument, str]]) -> list[DocumentResult | ReadctxError]:
        """Annotate documents in order; a document that cannot be read comes back as its error, in place."""
        prepared: list[Doc | ReadctxError] = []
        for item, default_id in items:
            try:
                prepared.append(prepare(item, default_id=default_id, max_text_chars=self.max_text_chars))
            except ReadctxError as error:
                prepared.append(error)
            except Exception as error:  # the HTML parser choking on a page is that page's problem only
                log.warning("could not read a document: %s", type(error).__name__)
                prepared.append(InputError(f"could not read the document ({type(error).__name__})"))
        docs = [doc for doc in prepared if isinstance(doc, Doc)]
        self._tag(docs)
        model = self.model
        results: list[DocumentResult | ReadctxError] = []
        for doc in prepared:
            if isinstance(doc, ReadctxError):
                results.append(doc)
                continue
            try:
                for component in self.components:
                    self._run(component, doc)
                doc.annotations.sort(key=lambda a: (a.start, a.end, a.type))
                fill_selectors(doc.text, doc.annotations)
                results.append(DocumentResult(doc, model, language=detect_language(doc.text)))
            except Exception as error:  # a bug must cost one document, not the batch
                log.error("internal error on a document: %s", type(error).__name__)
                results.append(ReadctxError("internal error while annotating this document"))
        return results

    def _tag(self, docs: list[Doc]) -> None:
        if self.tagger is None or not docs:
            return
        try:
            self.tagger.tag_docs(docs)
        except Exception as error:
            for doc in docs:
                doc.tagged = None
                doc.errors.append(AnnotatorError(self.tagger.name, _describe(error)))

    def _run(self, component: Annotator, doc: Doc) -> None:
        try:
            annotations = component(doc)
        except Exception as error:
            # No document id in the log: for the service it is the page URL, i.e. the reader's browsing.
            log.warning("component %s failed on a document: %s", component.name, type(error).__name__)
            doc.errors.append(AnnotatorError(component.name, _describe(error)))
            return
        for annotation in annotations:
            if not _valid(doc, annotation):
                doc.errors.append(
                    AnnotatorError(component.name, f"dropped an annotation with invalid offsets ({annotation.label})")
                )
                continue
            if not annotation.id:
                annotation.id = doc.new_id()
            doc.annotations.append(annotation)


def _valid(doc: Doc, annotation: Annotation) -> bool:
    spans = [(annotation.start, annotation.end, annotation.exact)]
    spans += [(s.start, s.end, s.exact) for s in (annotation.source, annotation.content) if s is not None]
    return all(0 <= start < end <= len(doc.text) and doc.text[start:end] == exact for start, end, exact in spans)


def _describe(error: Exception) -> str:
    if isinstance(error, ReadctxError):
        return error.message
    return f"{type(error).__name__} (details withheld: they may quote the page)"
