"""The pure-Python corpus readers, on tiny inline samples."""

from __future__ import annotations

from pathlib import Path

from readctx.corpora import (
    RE3D_ENTITY_MAP,
    GoldSpan,
    LabelledText,
    clean_meter_pa,
    conll_to_labelled,
    load_train,
    parse_brat_spans,
    polnear_spans,
    read_conll_sentences,
    read_meter_texts,
    read_polnear,
    read_polnear_multi_annotated,
    read_szeged,
    split_re3d,
    split_szeged_wiki,
)

POLNEAR_TEXT = "Officials said the  talks failed. He told us: nothing."
POLNEAR_ANN = (
    "T1\tSource 0 9\tOfficials\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 15 33\tthe  talks failed.\n"
    "T4\tAttribution 10 14\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tDiscuss 34 36\tHe\n"
    "T6\tContent 34 36;45 53\tHe nothing\n"
    "#1\tAnnotatorNotes T1\tnote\n"
)


def test_brat_keeps_fragments_of_discontinuous_spans() -> None:
    parsed = dict(parse_brat_spans(POLNEAR_ANN)[i] for i in (0, 5))
    assert parsed == {"Source": [(0, 9)], "Content": [(34, 36), (45, 53)]}


def test_polnear_spans_map_types_and_drop_others() -> None:
    spans = polnear_spans(POLNEAR_TEXT, POLNEAR_ANN)
    assert spans == (
        GoldSpan("attribution", "source", 0, 9),
        GoldSpan("attribution", "cue", 10, 14),
        GoldSpan("content", "content", 15, 33),
        GoldSpan("content", "content", 34, 36),
        GoldSpan("content", "content", 46, 53),  # the leading space is stripped
    )


def test_read_polnear_picks_first_annotator(tmp_path: Path) -> None:
    (tmp_path / "dev" / "text").mkdir(parents=True)
    (tmp_path / "dev" / "attributions").mkdir()
    (tmp_path / "dev" / "text" / "pub_2016_x.txt").write_text(POLNEAR_TEXT, encoding="utf-8")
    (tmp_path / "dev" / "attributions" / "pub_2016_x_ffff.ann").write_text("", encoding="utf-8")
    (tmp_path / "dev" / "attributions" / "pub_2016_x_4e07.ann").write_text(POLNEAR_ANN, encoding="utf-8")
    (doc,) = read_polnear(tmp_path, "dev")
    assert doc.doc_id == "pub_2016_x"
    assert doc.extra["annotation"] == "pub_2016_x_4e07.ann"
    assert [doc.text[s.start : s.end] for s in doc.spans_for("attribution", "cue")] == ["said"]
    assert doc.tasks == frozenset({"attribution", "content"})


def test_read_polnear_multi_annotated_keeps_each_annotator(tmp_path: Path) -> None:
    (tmp_path / "train" / "text").mkdir(parents=True)
    (tmp_path / "train" / "attributions").mkdir()
    for stem in ("pub_shared", "pub_single"):
        (tmp_path / "train" / "text" / f"{stem}.txt").write_text(POLNEAR_TEXT, encoding="utf-8")
    (tmp_path / "train" / "attributions" / "pub_shared_4e07.ann").write_text(POLNEAR_ANN, encoding="utf-8")
    (tmp_path / "train" / "attributions" / "pub_shared_ef2d.ann").write_text("T1\tCue 37 41\ttold\n", encoding="utf-8")
    (tmp_path / "train" / "attributions" / "pub_single_4e07.ann").write_text(POLNEAR_ANN, encoding="utf-8")
    (article,) = read_polnear_multi_annotated(tmp_path, "train")
    assert article.doc_id == "pub_shared"
    assert sorted(article.by_annotator) == ["4e07", "ef2d"]
    assert article.by_annotator["ef2d"] == (GoldSpan("attribution", "cue", 37, 41),)
    assert len(article.by_annotator["4e07"]) == len(polnear_spans(POLNEAR_TEXT, POLNEAR_ANN))


SZEGED_XML = (
    "<?xml version='1.0' encoding='utf-8'?>\n<Annotation><DocumentSet>\n"
    '<Document type="Wikipedia_text_weasel"><DocID type="ID">A_1</DocID>\n'
    '<DocumentPart type="Text"><Sentence id="S1.1">It <ccue type="speculation_modal_probable_">may</ccue>'
    ' be, <ccue type="x">it is <b>believed</b></ccue>.</Sentence></DocumentPart></Document>\n'
    '<Document type="Wikipedia_text_weasel"><DocID type="ID">B_2</DocID>\n'
    '<DocumentPart type="Text"><Sentence id="S1.1">Plain text.</Sentence></DocumentPart></Document>\n'
    "</DocumentSet></Annotation>"
)


def test_szeged_sentences_and_cue_offsets(tmp_path: Path) -> None:
    path = tmp_path / "wiki.xml"
    path.write_text(SZEGED_XML, encoding="utf-8")
    documents = read_szeged(path)
    assert [len(d) for d in documents] == [1, 1]
    sentence = documents[0][0]
    assert sentence.text == "It may be, it is believed."
    assert [sentence.text[s.start : s.end] for s in sentence.spans] == ["may", "it is believed"]
    train, dev = split_szeged_wiki(documents)
    assert [s.doc_id for s in dev] == ["A_1#S1.1"]
    assert [s.doc_id for s in train] == ["B_2#S1.1"]


CONLL = """Operation\tO
Steel\tO
The\tB-Organisation
Syrian\tI-Organisation
Army\tI-Organisation
fired\tO
Scud\tB-Weapon
missiles\tI-Weapon
at\tO
Homs\tB-Location
on\tO
Monday\tB-Temporal

Kurdish\tB-Nationality
fighters\tO
"""


def test_conll_sentences_become_char_spans() -> None:
    sentences = list(read_conll_sentences(CONLL.splitlines(keepends=True)))
    assert len(sentences) == 2
    doc = conll_to_labelled(sentences[0], "s0", RE3D_ENTITY_MAP)
    assert doc.text == "Operation Steel The Syrian Army fired Scud missiles at Homs on Monday"
    assert [(s.label, doc.text[s.start : s.end]) for s in doc.spans] == [
        ("ORG", "The Syrian Army"),
        ("EQUIPMENT", "Scud missiles"),
        ("PLACE", "Homs"),
    ]
    other = conll_to_labelled(sentences[1], "s1", RE3D_ENTITY_MAP)
    assert [(s.label, other.text[s.start : s.end]) for s in other.spans] == [("OTHER", "Kurdish")]


def test_re3d_split_holds_out_every_fifth_sentence() -> None:
    docs = [conll_to_labelled([("w", "O")], f"s{i}", RE3D_ENTITY_MAP) for i in range(11)]
    train, dev = split_re3d(docs)
    assert [d.doc_id for d in dev] == ["s0", "s5", "s10"]
    assert len(train) == 8


def test_load_train_can_hold_out_the_multi_annotated_articles(tmp_path: Path) -> None:
    train = tmp_path / "polnear" / "train"
    (train / "text").mkdir(parents=True)
    (train / "attributions").mkdir()
    for stem, annotators in (("pub_shared", ("4b22", "4e07")), ("pub_single", ("4b22",))):
        (train / "text" / f"{stem}.txt").write_text(POLNEAR_TEXT, encoding="utf-8")
        for annotator in annotators:
            (train / "attributions" / f"{stem}_{annotator}.ann").write_text(POLNEAR_ANN, encoding="utf-8")
    (tmp_path / "szeged-uncertainty").mkdir()
    for name in ("wiki.xml", "factbank.xml"):
        (tmp_path / "szeged-uncertainty" / name).write_text(SZEGED_XML, encoding="utf-8")
    (tmp_path / "ner").mkdir()
    (tmp_path / "ner" / "re3d-train.conll").write_text(CONLL, encoding="utf-8")
    assert [d.doc_id for d in load_train(tmp_path).polnear] == ["pub_shared", "pub_single"]
    assert [d.doc_id for d in load_train(tmp_path, hold_out_multi_annotated=True).polnear] == ["pub_single"]


PA_COPY = (
    "  ----------------------------------------------------------------------\n"
    "           18:17 01/03/00: Page 1 (HHH) COURTS Chemists Nightlead\n"
    "  ----------------------------------------------------------------------\n"
    "\x19FINED OVER BLUNDER<\n"
    "\x19Two pharmacists were fined today, a\n"
    "court heard. ``It was tragic,'' he said.<\n"
)


def test_pa_copy_loses_its_header_and_keeps_paragraphs_whole() -> None:
    assert clean_meter_pa(PA_COPY) == (
        'FINED OVER BLUNDER\n\nTwo pharmacists were fined today, a court heard. "It was tragic," he said.'
    )


def test_meter_texts_are_pa_copy_then_newspapers_with_no_gold(tmp_path: Path) -> None:
    story = Path("rawtexts/courts/01.03.00/chemists")
    (tmp_path / "PA" / story).mkdir(parents=True)
    (tmp_path / "PA" / story / "chemists1.txt").write_bytes(PA_COPY.encode("latin-1"))
    (tmp_path / "PA" / "rawtexts" / "courts" / "readme.txt").write_text("This directory contains ...")
    (tmp_path / "newspapers" / story).mkdir(parents=True)
    (tmp_path / "newspapers" / story / "chemists2_sun.txt").write_bytes(
        "CHEMISTS fined \xa3500.\r\n\r\n".encode("latin-1")
    )
    (tmp_path / "newspapers" / story / "empty_mirror.txt").write_bytes(b"\r\n")
    assert read_meter_texts(tmp_path) == [
        LabelledText(
            "PA/rawtexts/courts/01.03.00/chemists/chemists1.txt",
            'FINED OVER BLUNDER\n\nTwo pharmacists were fined today, a court heard. "It was tragic," he said.',
            (),
            frozenset(),
        ),
        LabelledText(
            "newspapers/rawtexts/courts/01.03.00/chemists/chemists2_sun.txt", "CHEMISTS fined \xa3500.", (), frozenset()
        ),
    ]
