"""Pure-Python readers for the labelled corpora used to train and evaluate the token tagger.

Every reader returns :class:`LabelledText` items: a text, the gold character spans in it (code-point
offsets, end exclusive) and the set of tasks the source corpus annotates, so a trainer can mask the
loss of heads a corpus says nothing about. The fixed development splits live here too, so training
and evaluation cannot disagree about what is held out:

* PolNeAR: the corpus's own ``dev/`` folder (84 articles);
* Szeged uncertainty ``wiki.xml``: documents whose 0-based index ``% 7 == 0``;
* re3d (``ner/re3d-train.conll``): sentences whose 0-based index ``% 5 == 0``.

No third-party imports: the evaluation path must run without torch.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .text import strip_span

ATTRIBUTION = "attribution"
CONTENT = "content"
HEDGE = "hedge"
ENTITY = "entity"

SZEGED_DEV_MODULUS = 7
RE3D_DEV_MODULUS = 5

# re3d type -> readctx entity label. re3d has no "armed group" type and military organisations are
# not distinguishable from civil ones in its tags, so they stay ORG (GROUP is reserved for later
# data). Nationality is kept as OTHER because "Syrian", "Kurdish" matter to a reader of conflict
# news. Temporal, Quantity, Money and DocumentReference are not entities in readctx's sense.
RE3D_ENTITY_MAP: dict[str, str] = {
    "Person": "PERSON",
    "Organisation": "ORG",
    "Location": "PLACE",
    "Weapon": "EQUIPMENT",
    "MilitaryPlatform": "EQUIPMENT",
    "Nationality": "OTHER",
}

# PolNeAR brat entity type -> (task, label).
POLNEAR_SPAN_MAP: dict[str, tuple[str, str]] = {
    "Cue": (ATTRIBUTION, "cue"),
    "Source": (ATTRIBUTION, "source"),
    "Content": (CONTENT, "content"),
}


@dataclass(frozen=True, order=True)
class GoldSpan:
    """One gold span; offsets are Python ``str`` indices into the owning text, end exclusive."""

    task: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class LabelledText:
    """A text with gold spans for the tasks its corpus annotates (and only those)."""

    doc_id: str
    text: str
    spans: tuple[GoldSpan, ...]
    tasks: frozenset[str]
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def spans_for(self, task: str, label: str | None = None) -> list[GoldSpan]:
        return [s for s in self.spans if s.task == task and (label is None or s.label == label)]


# --------------------------------------------------------------------------- PolNeAR (brat)


def parse_brat_spans(ann_text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Text-bound annotations of a brat ``.ann`` file as ``(type, fragments)``.

    Discontinuous annotations ("Content 10 20;25 40") keep their fragments separate: a tagger can
    only produce contiguous spans, so each fragment is scored as its own span.
    """
    result: list[tuple[str, list[tuple[int, int]]]] = []
    for line in ann_text.splitlines():
        if not line.startswith("T"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        type_and_offsets = parts[1].split(" ", 1)
        if len(type_and_offsets) != 2:
            continue
        brat_type, offsets = type_and_offsets
        fragments: list[tuple[int, int]] = []
        for piece in offsets.split(";"):
            bounds = piece.split()
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                fragments.append((int(bounds[0]), int(bounds[1])))
        if fragments:
            result.append((brat_type, fragments))
    return result


def polnear_spans(text: str, ann_text: str) -> tuple[GoldSpan, ...]:
    spans: set[GoldSpan] = set()
    for brat_type, fragments in parse_brat_spans(ann_text):
        mapped = POLNEAR_SPAN_MAP.get(brat_type)
        if mapped is None:
            continue
        task, label = mapped
        for start, end in fragments:
            start, end = strip_span(text, max(0, start), min(len(text), end))
            if start < end:
                spans.add(GoldSpan(task, label, start, end))
    return tuple(sorted(spans, key=lambda s: (s.start, s.end, s.task, s.label)))


def _polnear_annotation_files(split_dir: Path) -> list[tuple[Path, list[Path]]]:
    """Each article of a PolNeAR split with its annotation files (``<stem>_<annotator>.ann``), sorted."""
    ann_files = sorted((split_dir / "attributions").glob("*.ann"))
    articles: list[tuple[Path, list[Path]]] = []
    for text_path in sorted((split_dir / "text").glob("*.txt")):
        stem = text_path.stem
        candidates = [p for p in ann_files if re.fullmatch(re.escape(stem) + r"_[0-9a-f]+", p.stem)]
        if candidates:
            articles.append((text_path, candidates))
    return articles


def read_polnear(root: str | Path, split: str) -> list[LabelledText]:
    """Articles of ``polnear/<split>``. Several annotators covered some articles: the annotation file
    that sorts first is used, so the choice is deterministic and each article appears once."""
    docs: list[LabelledText] = []
    for text_path, ann_paths in _polnear_annotation_files(Path(root) / split):
        text = text_path.read_text(encoding="utf-8")
        docs.append(
            LabelledText(
                doc_id=text_path.stem,
                text=text,
                spans=polnear_spans(text, ann_paths[0].read_text(encoding="utf-8")),
                tasks=frozenset({ATTRIBUTION, CONTENT}),
                extra={"annotation": ann_paths[0].name},
            )
        )
    return docs


@dataclass(frozen=True)
class MultiAnnotated:
    """An article that several annotators covered, each annotator's spans kept apart."""

    doc_id: str
    text: str
    by_annotator: dict[str, tuple[GoldSpan, ...]]  # annotator id (the file name's hex suffix) -> spans


def read_polnear_multi_annotated(root: str | Path, split: str) -> list[MultiAnnotated]:
    """The articles of ``polnear/<split>`` with two or more annotation files: PolNeAR's agreement set."""
    articles: list[MultiAnnotated] = []
    for text_path, ann_paths in _polnear_annotation_files(Path(root) / split):
        if len(ann_paths) < 2:
            continue
        text = text_path.read_text(encoding="utf-8")
        by_annotator = {p.stem.rsplit("_", 1)[1]: polnear_spans(text, p.read_text(encoding="utf-8")) for p in ann_paths}
        articles.append(MultiAnnotated(text_path.stem, text, by_annotator))
    return articles


# --------------------------------------------------------------------------- Szeged uncertainty (XML)


def _sentence_with_cues(element: ET.Element) -> tuple[str, list[tuple[int, int, str]]]:
    """Flatten a ``<Sentence>`` element; returns its text and ``(start, end, type)`` of each ``<ccue>``."""
    pieces: list[str] = []
    cues: list[tuple[int, int, str]] = []

    def walk(node: ET.Element) -> None:
        start = sum(len(p) for p in pieces)
        if node.text:
            pieces.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                pieces.append(child.tail)
        if node.tag == "ccue":
            end = sum(len(p) for p in pieces)
            cues.append((start, end, (node.get("type") or "").strip()))

    walk(element)
    return "".join(pieces), cues


def read_szeged(path: str | Path) -> list[list[LabelledText]]:
    """Documents of a Szeged uncertainty XML file, each a list of sentences with hedge-cue spans."""
    tree = ET.parse(str(path))
    documents: list[list[LabelledText]] = []
    for doc_index, document in enumerate(tree.getroot().iter("Document")):
        doc_id_el = document.find("DocID")
        doc_id = (doc_id_el.text or "").strip() if doc_id_el is not None else str(doc_index)
        sentences: list[LabelledText] = []
        for sentence in document.iter("Sentence"):
            text, cues = _sentence_with_cues(sentence)
            spans: set[GoldSpan] = set()
            for start, end, _cue_type in cues:
                start, end = strip_span(text, start, end)
                if start < end:
                    spans.add(GoldSpan(HEDGE, "hedge", start, end))
            sentences.append(
                LabelledText(
                    doc_id=f"{doc_id}#{sentence.get('id', '')}",
                    text=text,
                    spans=tuple(sorted(spans)),
                    tasks=frozenset({HEDGE}),
                )
            )
        documents.append(sentences)
    return documents


def split_szeged_wiki(documents: list[list[LabelledText]]) -> tuple[list[LabelledText], list[LabelledText]]:
    """(train, dev) sentences: documents with index % 7 == 0 are dev."""
    train: list[LabelledText] = []
    dev: list[LabelledText] = []
    for index, sentences in enumerate(documents):
        (dev if index % SZEGED_DEV_MODULUS == 0 else train).extend(sentences)
    return train, dev


# --------------------------------------------------------------------------- CoNLL (re3d)


def read_conll_sentences(lines: Iterable[str]) -> Iterator[list[tuple[str, str]]]:
    """Token/tag sentences from CoNLL lines (token first column, tag last; blank line separates)."""
    sentence: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            if sentence:
                yield sentence
            sentence = []
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        if len(columns) < 2:
            continue
        sentence.append((columns[0], columns[-1]))
    if sentence:
        yield sentence


def conll_to_labelled(tokens_and_tags: list[tuple[str, str]], doc_id: str, type_map: dict[str, str]) -> LabelledText:
    """Join tokens with single spaces and turn BIO (or IO) tags into entity character spans.

    Types absent from ``type_map`` become O. A span starts at B-, or at I- of a type different from
    the previous token's.
    """
    pieces: list[str] = []
    offsets: list[tuple[int, int]] = []
    position = 0
    for token, _tag in tokens_and_tags:
        if pieces:
            position += 1
        offsets.append((position, position + len(token)))
        pieces.append(token)
        position += len(token)
    text = " ".join(pieces)
    spans: list[GoldSpan] = []
    current: tuple[str, int, int] | None = None
    for (start, end), (_token, tag) in zip(offsets, tokens_and_tags, strict=True):
        prefix, _, raw_type = tag.partition("-")
        mapped = type_map.get(raw_type) if prefix in ("B", "I") else None
        if mapped is not None and current is not None and prefix == "I" and current[0] == mapped:
            current = (mapped, current[1], end)
            continue
        if current is not None:
            spans.append(GoldSpan(ENTITY, current[0], current[1], current[2]))
            current = None
        if mapped is not None:
            current = (mapped, start, end)
    if current is not None:
        spans.append(GoldSpan(ENTITY, current[0], current[1], current[2]))
    return LabelledText(doc_id=doc_id, text=text, spans=tuple(spans), tasks=frozenset({ENTITY}))


def read_re3d(path: str | Path) -> list[LabelledText]:
    with open(path, encoding="utf-8") as handle:
        return [
            conll_to_labelled(sentence, f"re3d#{index}", RE3D_ENTITY_MAP)
            for index, sentence in enumerate(read_conll_sentences(handle))
        ]


def split_re3d(sentences: list[LabelledText]) -> tuple[list[LabelledText], list[LabelledText]]:
    """(train, dev): sentences with index % 5 == 0 are dev."""
    train = [s for i, s in enumerate(sentences) if i % RE3D_DEV_MODULUS != 0]
    dev = [s for i, s in enumerate(sentences) if i % RE3D_DEV_MODULUS == 0]
    return train, dev


# --------------------------------------------------------------------------- METER (unlabelled news)

# A PA wire copy's transmission header: rules of dashes and "18:17 01/03/00: Page 1 (HHH) COURTS ..." lines.
_PA_HEADER = re.compile(r"^\s*(-{10,}|\d\d:\d\d \d\d/\d\d/\d\d:.*)\s*$")


def clean_meter_pa(raw: str) -> str:
    """PA wire copy without its transmission header, as paragraphs.

    PA copy is hard-wrapped at ~75 columns and ends each paragraph with ``<`` (and starts most with a
    0x19 control byte); wrapped lines are joined with a space so sentences are not cut by newlines."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in raw.splitlines():
        if _PA_HEADER.match(line):
            continue
        # ``quotes'' are the wire's typewriter convention for double quotes.
        line = line.replace("\x19", "").replace("``", '"').replace("''", '"').strip()
        ends_paragraph = line.endswith("<")
        line = line.removesuffix("<").strip()
        if line:
            current.append(line)
        if (ends_paragraph or not line) and current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def read_meter_file(path: Path) -> str:
    """One METER file's text: the corpus is Latin-1 (pound signs, accented names), not UTF-8."""
    return path.read_bytes().decode("latin-1")


def read_meter_texts(root: str | Path) -> list[LabelledText]:
    """METER's PA copy and newspaper stories (``*/rawtexts/**/*.txt``, Latin-1) as texts with no gold spans.

    Used as unlabelled news for distillation (``training.train --unlabelled``); ids are paths under ``root``."""
    base = Path(root)
    texts: list[LabelledText] = []
    for part in ("PA", "newspapers"):
        for path in sorted((base / part / "rawtexts").rglob("*.txt")):
            if path.name.lower().startswith("readme"):
                continue
            raw = read_meter_file(path)
            if part == "PA":
                text = clean_meter_pa(raw)
            else:
                text = "\n".join(line.rstrip() for line in raw.splitlines()).strip()
            if text:
                texts.append(LabelledText(str(path.relative_to(base)), text, (), frozenset()))
    return texts


# --------------------------------------------------------------------------- the fixed splits


@dataclass(frozen=True)
class CorpusSplits:
    polnear: list[LabelledText]
    szeged_wiki: list[LabelledText]
    szeged_factbank: list[LabelledText]
    re3d: list[LabelledText]


# What load_dev reads under the data folder (the layout of the shared corpora).
POLNEAR_DEV, SZEGED_WIKI, RE3D_TRAIN = "polnear/dev", "szeged-uncertainty/wiki.xml", "ner/re3d-train.conll"
DEV_FILES = (POLNEAR_DEV, SZEGED_WIKI, RE3D_TRAIN)


def load_dev(data_root: str | Path) -> CorpusSplits:
    """The held-out development sets (never used for training), read from ``DEV_FILES``."""
    root = Path(data_root)
    _, wiki_dev = split_szeged_wiki(read_szeged(root / SZEGED_WIKI))
    _, re3d_dev = split_re3d(read_re3d(root / RE3D_TRAIN))
    return CorpusSplits(read_polnear(root / "polnear", "dev"), wiki_dev, [], re3d_dev)


def load_train(data_root: str | Path, *, hold_out_multi_annotated: bool = False) -> CorpusSplits:
    """Training material: PolNeAR train, Szeged wiki minus dev documents, all of FactBank (news; not
    used for evaluation), re3d minus dev sentences. ``hold_out_multi_annotated`` leaves out the PolNeAR
    train articles several annotators covered, so that a model can be scored against each of them there."""
    root = Path(data_root)
    polnear = read_polnear(root / "polnear", "train")
    if hold_out_multi_annotated:
        # The annotation files are only counted here, not parsed again.
        shared = {text.stem for text, anns in _polnear_annotation_files(root / "polnear" / "train") if len(anns) > 1}
        polnear = [d for d in polnear if d.doc_id not in shared]
    wiki_train, _ = split_szeged_wiki(read_szeged(root / "szeged-uncertainty" / "wiki.xml"))
    factbank = [s for doc in read_szeged(root / "szeged-uncertainty" / "factbank.xml") for s in doc]
    re3d_train, _ = split_re3d(read_re3d(root / "ner" / "re3d-train.conll"))
    return CorpusSplits(polnear, wiki_train, factbank, re3d_train)
