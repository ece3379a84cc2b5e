"""Syndication rules: credit lines, footers, the verdict, and the realistic fixture pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from readctx.syndication import SyndicationAnnotator
from readctx.text import prepare
from readctx.types import Annotation, Doc, InputDocument

PAGES = Path(__file__).parent / "fixtures" / "pages"
NEWSPAPER = "https://www.dailycourier.example/news/story"


def make_doc(text: str, url: str | None = NEWSPAPER) -> Doc:
    return prepare(InputDocument(text=text, url=url), default_id="t", max_text_chars=10**6)


def annotate(text: str, url: str | None = NEWSPAPER) -> tuple[Doc, list[Annotation]]:
    doc = make_doc(text, url)
    found = SyndicationAnnotator()(doc)
    for a in found:
        assert doc.text[a.start : a.end] == a.exact
        assert a.type == "syndication" and a.annotator == "rules" and a.id
        assert 0.0 < a.confidence <= 1.0 and a.explanation
    return doc, found


def found_as(found: list[Annotation]) -> list[tuple[str, str, str | None]]:
    return [(a.label, a.exact, a.detail) for a in found]


def test_reuters_dateline_byline_and_footer() -> None:
    text = (
        "By Jane Doe, Reuters\n"
        "WASHINGTON (Reuters) - The Senate voted on Tuesday to extend the program.\n"
        "The measure now goes to the House.\n"
        "(Reporting by Jane Doe in Washington; Editing by Mark Roe)"
    )
    doc, found = annotate(text)
    assert found_as(found) == [
        ("byline", "By Jane Doe, Reuters", "Reuters"),
        ("wire_credit", "WASHINGTON (Reuters) -", "Reuters"),
        (
            "wire_credit",
            "(Reporting by Jane Doe in Washington; Editing by Mark Roe)",
            "Jane Doe in Washington",
        ),
    ]
    assert found[1].start == text.index("WASHINGTON")
    verdict = doc.syndication
    assert verdict.republished is True
    assert verdict.origin == {"name": "Reuters", "url": None}
    assert verdict.publisher == "dailycourier.example"
    assert verdict.evidence == ["a1", "a2", "a3"]


@pytest.mark.parametrize(
    ("line", "exact", "party"),
    [
        ("PARIS (AFP) – Strikes continued on Monday.", "PARIS (AFP) –", "AFP"),
        ("WASHINGTON (AP) — The Senate voted.", "WASHINGTON (AP) —", "Associated Press"),
        ("LONDON, March 3 (Reuters) - Shares fell.", "LONDON, March 3 (Reuters) -", "Reuters"),
        ("(CNN) — A storm hit the coast.", "(CNN) —", "CNN"),
        ("The storm moved east overnight. — Reuters", "— Reuters", "Reuters"),
        (
            "Associated Press writer Tom Bell in Boston contributed to this report.",
            "Associated Press writer Tom Bell in Boston contributed to this report.",
            "Associated Press",
        ),
        ("CNN’s Ana Ruiz contributed to this report.", "CNN’s Ana Ruiz contributed to this report.", "CNN"),
        (
            "CHICAGO (Tribune News Service) — Rain fell.",
            "CHICAGO (Tribune News Service) —",
            "Tribune News Service",
        ),
    ],
)
def test_wire_credit_forms(line: str, exact: str, party: str) -> None:
    doc, found = annotate("Officials met on Monday.\n" + line)
    assert found_as(found) == [("wire_credit", exact, party)]
    assert doc.syndication.origin == {"name": party, "url": None}


@pytest.mark.parametrize(
    ("story", "tag", "party", "explanation"),
    [
        ("Der Bundestag stimmte am Freitag zu.\n", "dpa/ab/xy", "dpa", "agency tag credits dpa"),
        ("Der Bundestag stimmte am Freitag zu. ", "dpa/afp/rtr", "dpa", "agency tag credits dpa, AFP and Reuters"),
        ("Der Bundestag stimmte am Freitag zu. ", "(dpa)", "dpa", "agency tag credits dpa"),
        ("Sie sagte: „Wir sind bereit.“ ", "(AFP/dpa/lno)", "AFP", "agency tag credits AFP and dpa"),
        ("Der Dax stieg um ein Prozent.\n", "dpa-AFX", "dpa-AFX", "agency tag credits dpa-AFX"),
        # A two-letter lower-case part is an editor's initials, not the Associated Press.
        ("Der Bundestag stimmte am Freitag zu.\n", "dpa/ap/xy", "dpa", "agency tag credits dpa"),
    ],
)
def test_german_agency_tags_ending_a_story(story: str, tag: str, party: str, explanation: str) -> None:
    text = story + tag + "\n"
    doc, found = annotate(text)
    assert [(a.label, a.start, a.end, a.detail, a.explanation) for a in found] == [
        ("wire_credit", len(story), len(story) + len(tag), party, explanation)
    ]
    assert doc.syndication.republished is True
    assert doc.syndication.origin == {"name": party, "url": None}
    assert doc.syndication.evidence == [found[0].id]


def test_a_dpa_afx_dateline() -> None:
    _, found = annotate("FRANKFURT (dpa-AFX) - Der Dax stieg am Morgen.")
    assert [(a.label, a.start, a.end, a.detail) for a in found] == [("wire_credit", 0, 21, "dpa-AFX")]


@pytest.mark.parametrize(
    "line",
    [
        "Mehr dazu unter https://example.com/dpa/ab/xy",
        "Siehe www.dpa/ab",
        "Die Deutsche Presse-Agentur (dpa) meldete das am Morgen.",
        "Das meldete die Deutsche Presse-Agentur (dpa)",
        "Foto: Michael Kappeler/dpa",
        "Michael Kappeler/dpa",
        "dpa/Michael Kappeler",
        "Er sagte das. Odpa/ab",
        "Er sagte das. ab/xy",
        "Er sagte das. (ab)",
        "Er sagte das. dpa/ab und andere",
        "Er sagte das. dpa/ab/abcde",
        "AP/AFP",  # a photo credit: no lower-case agency
        "Er sagte das. (SID)",
        "Er sagte das. dpa" + "/afp" * 40 + "/",  # no tag, and no exponential search for one
    ],
)
def test_agency_names_in_words_paths_and_photo_credits_are_no_tags(line: str) -> None:
    doc, found = annotate(f"Der Bundestag stimmte am Freitag zu.\n{line}")
    assert found == []
    assert doc.syndication.republished is False


def test_body_mentions_of_wires_are_not_credits() -> None:
    text = (
        "The figures matched those in the Reuters report, said the minister.\n"
        "The Associated Press reported on Monday that talks had stalled, and AFP said (citing Reuters) that "
        "a deal was close.\n"
        "The report, originally published by the ministry in 2019, found problems.\n"
        "He sued for copyright infringement in 2019.\n"
        "By the end of the year, Reuters - and others - had left.\n"
        "(Updated) - The vote was delayed.\n"
        "(Local Council) - The vote was delayed.\n"
        "This article was written by Jane Doe, a freelance journalist.\n"
        "He had the chance to become a member of the ostrich owners' club."
    )
    doc, found = annotate(text)
    assert found == []
    assert doc.syndication.republished is False
    assert doc.syndication.origin is None
    assert doc.syndication.publisher == "dailycourier.example"


@pytest.mark.parametrize(
    ("line", "party"),
    [
        ("This article was originally published by ProPublica, a nonprofit newsroom.", "ProPublica"),
        ("This story originally appeared in High Country Times.", "High Country Times"),
        ("This story was produced by Inside Climate News on March 3.", "Inside Climate News"),
        ("Republished with permission from The Texas Tribune.", "The Texas Tribune"),
        ("Originally published on Grist.", "Grist"),
    ],
)
def test_origin_credits_span_the_line_and_name_the_party(line: str, party: str) -> None:
    doc, found = annotate("The council met on Monday.\n" + line)
    assert found_as(found) == [("origin_credit", line, party)]
    assert doc.syndication.republished is True
    assert doc.syndication.origin == {"name": party, "url": None}
    assert doc.syndication.evidence == [found[0].id]


def test_creative_commons_republication_notice() -> None:
    notice = (
        "This article is republished from The Conversation under a Creative Commons license. Read the original article."
    )
    doc, found = annotate("Researchers measured the ice.\n" + notice + "\nRepublished under CC BY-ND 4.0.")
    assert found_as(found) == [
        ("republication_notice", notice, "The Conversation"),
        ("republication_notice", "Republished under CC BY-ND 4.0.", None),
    ]
    assert doc.syndication.origin == {"name": "The Conversation", "url": None}


def test_copyright_lines() -> None:
    text = (
        "Body text.\n"
        "Copyright © 2024 The Daily Courier. All rights reserved.\n"
        "© 2023 Acme News Inc. All rights reserved."
    )
    doc, found = annotate(text, url=None)
    assert found_as(found) == [
        ("copyright", "Copyright © 2024 The Daily Courier. All rights reserved.", "The Daily Courier"),
        ("copyright", "© 2023 Acme News Inc. All rights reserved.", "Acme News Inc"),
    ]
    # No site name or URL: the first copyright holder is the publisher; a copyright alone is no origin.
    assert doc.syndication.publisher == "The Daily Courier"
    assert doc.syndication.republished is False


def test_wire_copyright_footer_marks_republication() -> None:
    doc, found = annotate("Body text.\nCopyright 2024 The Associated Press. All rights reserved.")
    assert found_as(found) == [
        ("copyright", "Copyright 2024 The Associated Press. All rights reserved.", "Associated Press"),
    ]
    assert doc.syndication.origin == {"name": "Associated Press", "url": None}


def test_own_credit_on_own_site_is_not_republication() -> None:
    doc, found = annotate("LONDON (Reuters) - Shares fell.", url="https://www.reuters.com/markets/x")
    assert found_as(found) == [("wire_credit", "LONDON (Reuters) -", "Reuters")]
    assert doc.syndication.republished is False
    assert doc.syndication.publisher == "reuters.com"


def test_pipe_byline_near_the_top() -> None:
    doc, found = annotate("Jane Doe | AP\nThe storm hit the coast.")
    assert found_as(found) == [("byline", "Jane Doe | AP", "Associated Press")]
    assert doc.syndication.origin == {"name": "Associated Press", "url": None}


def test_boilerplate() -> None:
    lines = [
        "Support our journalism. Donate now.",
        "Become a member today.",
        "Sign up for our free morning newsletter.",
        "The views expressed in this article are the author's own.",
        "Editor's note: This story contains descriptions of violence.",
    ]
    doc, found = annotate("The mayor spoke.\n" + "\n".join(lines))
    assert found_as(found) == [("boilerplate", line, None) for line in lines]
    assert doc.syndication.republished is False


def test_two_notices_on_one_line_get_their_sentences() -> None:
    line = "This article was originally published by Grist. Support our journalism by giving today."
    _, found = annotate("The river rose.\n" + line)
    assert found_as(found) == [
        ("origin_credit", "This article was originally published by Grist.", "Grist"),
        ("boilerplate", "Support our journalism by giving today.", None),
    ]


def test_canonical_elsewhere_is_republication() -> None:
    from dataclasses import replace

    doc = make_doc("The clinic closed early.", url="https://riverbend.example/a")
    doc.metadata = replace(doc.metadata, canonical_url="https://origin.example/a", site_name="Riverbend")
    assert SyndicationAnnotator()(doc) == []
    assert doc.syndication.republished is True
    assert doc.syndication.origin == {"name": "origin.example", "url": "https://origin.example/a"}
    assert doc.syndication.signals == ["meta:canonical"]
    assert doc.syndication.evidence == []


def page(name: str, url: str) -> Doc:
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    return prepare(InputDocument(html=html, url=url), default_id=name, max_text_chars=10**6)


def test_page_wire_reuters() -> None:
    doc = page("wire-reuters", "https://www.harbourledger.example/world/2024/03/14/port-strike-grain-exports")
    found = SyndicationAnnotator()(doc)
    assert found_as(found) == [
        ("wire_credit", "VALMORA, March 14 (Reuters) -", "Reuters"),
        (
            "wire_credit",
            "(Reporting by Lena Marsh in Valmora and Tomas Berg in Stockholm; Editing by Catherine Holt and "
            "Mark Potter)",
            "Lena Marsh in Valmora and Tomas Berg in Stockholm",
        ),
    ]
    assert all(doc.text[a.start : a.end] == a.exact for a in found)
    assert doc.syndication.to_json() == {
        "republished": True,
        "origin": {"name": "Reuters", "url": None},
        "publisher": "The Harbour Ledger",
        "evidence": [found[0].id, found[1].id],
        "signals": [],
        "matches": [],
    }


def test_page_republished_footer() -> None:
    doc = page("republished-footer", "https://riverbendgazette.example/news/2024/05/21/rural-clinics-nurses")
    found = SyndicationAnnotator()(doc)
    credit = (
        "This article was originally published by Prairie Health Watch, a nonprofit newsroom covering health "
        "care in the Great Plains."
    )
    appeal = (
        "Support our journalism. Riverbend Gazette is reader-funded. "
        "Donate now to keep local reporting free for everyone."
    )
    assert found_as(found) == [
        ("origin_credit", credit, "Prairie Health Watch"),
        ("boilerplate", appeal, None),
    ]
    assert all(doc.text[a.start : a.end] == a.exact for a in found)
    assert doc.syndication.to_json() == {
        "republished": True,
        "origin": {
            "name": "Prairie Health Watch",
            "url": "https://prairiehealthwatch.example/2024/05/20/rural-clinics-nurse-grant-lapse/",
        },
        "publisher": "Riverbend Gazette",
        "evidence": [found[0].id],
        "signals": ["meta:canonical"],
        "matches": [],
    }


def test_page_anonymous_sourcing_has_no_syndication() -> None:
    doc = page("anonymous-sourcing", "https://meridianpost.example/world/kesra-inspectors-talks")
    assert SyndicationAnnotator()(doc) == []
    # The cues the sourcing and glossary components are tested on survive extraction.
    for cue in (
        "officials who asked not to be named",
        "A source close to the negotiations told",
        "Residents said",
        "allegedly",
        "could not be independently verified",
        "International Atomic Energy Agency (IAEA)",
        "an IED exploded",
    ):
        assert cue in doc.text
    assert doc.syndication.republished is False
    assert doc.syndication.publisher == "The Meridian Post"


@pytest.mark.parametrize("between", [" ", ". "])
def test_reporting_footer_ends_at_its_bracket_before_a_copyright_on_the_same_line(between: str) -> None:
    footer = "(Reporting by Jane Doe in London; Editing by Mark Roe)"
    text = f"LONDON (Reuters) - Prices rose on Monday.\n{footer}{between}Copyright 2024 Reuters."
    doc, found = annotate(text, url=None)
    start = text.index(footer)
    credits = [(a.start, a.end) for a in found if a.label == "wire_credit"]
    assert credits == [(0, 18), (start, start + len(footer))]
    [notice] = [a for a in found if a.label == "copyright"]
    assert (notice.exact, notice.end, notice.detail) == ("Copyright 2024 Reuters.", len(text), "Reuters")
    assert doc.syndication.republished is True and doc.syndication.origin == {"name": "Reuters", "url": None}


def test_an_unbracketed_reporting_footer_keeps_its_whole_line() -> None:
    line = "Reporting by Jane Doe; Editing by Mark Roe (fixed)"
    _, found = annotate(f"Prices rose on Monday.\n{line}")
    assert found_as(found) == [("wire_credit", line, "Jane Doe")]


def test_a_footer_on_the_story_line_leaves_the_story_out() -> None:
    _, found = annotate(
        "Officials said the talks had collapsed after weeks of negotiations in Geneva. "
        "Copyright 2023 The Associated Press. All rights reserved."
    )
    assert [(a.label, a.exact) for a in found] == [
        ("copyright", "Copyright 2023 The Associated Press. All rights reserved.")
    ]
    _, found = annotate(
        "The council said the bridge would reopen. Republished from The Conversation under a Creative Commons license."
    )
    assert [(a.label, a.exact) for a in found] == [
        ("republication_notice", "Republished from The Conversation under a Creative Commons license.")
    ]


def test_a_reuters_style_footer_alone_names_reuters_at_lower_confidence() -> None:
    footer = "(Reporting by Valerie Volcovici; Editing by Will Dunham.)"
    doc, found = annotate(f"The agency will publish the rule on Monday, officials said.\n{footer}")
    assert [(a.label, a.detail, a.confidence) for a in found] == [("wire_credit", "Valerie Volcovici", 0.75)]
    assert doc.syndication.republished is True and doc.syndication.origin == {"name": "Reuters", "url": None}
    doc, _ = annotate(f"Prices rose.\n{footer}", url="https://www.reuters.com/markets/prices")
    assert doc.syndication.republished is False
    doc, found = annotate("Prices rose.\n(Reporting by Jane Doe)")
    assert [(a.label, a.detail) for a in found] == [("wire_credit", "Jane Doe")]
    assert doc.syndication.republished is False


def test_a_wire_copyright_without_a_year() -> None:
    doc, found = annotate("Police said the border was closed.\n© Agence France-Presse")
    assert [(a.label, a.exact, a.detail) for a in found] == [("copyright", "© Agence France-Presse", "AFP")]
    assert doc.syndication.origin == {"name": "AFP", "url": None}
    _, found = annotate("A copyright claim by Reuters was dismissed.")
    assert found == []


def test_a_wire_photo_credit_is_no_copyright_notice() -> None:
    for credit in ("© AP Photo/Evan Vucci", "Photo: © Reuters/John Smith", "© AFP via Getty Images"):
        doc, found = annotate(f"The mayor said the bridge had reopened.\n{credit}\nTraffic was light.")
        assert found == [] and doc.syndication.republished is False, credit
