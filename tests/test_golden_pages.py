"""Golden pages: realistic articles in tests/fixtures/pages, annotated end to end by the rule layer.

The expected lists were reviewed by hand; the model is off so they test the rules exactly (the cascade has its
own tests). Offsets refer to the text trafilatura extracts, which the Document returns as ``text``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from readctx.config import Settings
from readctx.pipeline import Pipeline
from readctx.types import InputDocument

PAGES = Path(__file__).parent / "fixtures" / "pages"
URLS = {
    "anonymous-sourcing": "https://meridianpost.example/world/kesra-inspectors-talks",
    "republished-footer": "https://riverbendgazette.example/news/2024/05/21/rural-clinics",
    "wire-reuters": "https://www.harbourledger.example/world/2024/03/14/port-strike-grain-exports",
}


def annotate(name: str, tmp_path: Path) -> dict[str, Any]:
    pipeline = Pipeline.from_settings(Settings(home=tmp_path, model="off"))
    html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
    return pipeline.annotate(InputDocument(html=html, url=URLS[name])).to_json()


def summary(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    text = document["text"]
    rows = []
    for a in document["annotations"]:
        assert text[a["start"] : a["end"]] == a["exact"]
        assert text[: a["start"]].endswith(a["prefix"]) and text[a["end"] :].startswith(a["suffix"])
        for part in (a["source"], a["content"]):
            assert part is None or text[part["start"] : part["end"]] == part["exact"]
        if not (a["type"] == "glossary" and a["label"] == "entity"):
            rows.append(
                (
                    a["type"],
                    a["label"],
                    a["exact"],
                    a["start"],
                    a["source"] and a["source"]["exact"],
                    a["source_kind"],
                )
            )
    return rows


EXPECTED = {
    "wire-reuters": [
        ("syndication", "wire_credit", "VALMORA, March 14 (Reuters) -", 57, None, None),
        ("sourcing", "vague_source", "said", 296, "shipping agents", "vague"),
        (
            "sourcing",
            "attribution",
            "said",
            582,
            "Petra Salo, a director at the shipping agency Nordline Maritime",
            "named",
        ),
        ("sourcing", "attribution", "told", 749, "Union leader Anders Kivi", "named"),
        ("sourcing", "attribution", "said", 915, "The port authority", "official"),
        ("sourcing", "attribution", "urged", 1055, "Transport Minister Helena Varga", "named"),
        (
            "sourcing",
            "attribution",
            "according to",
            1434,
            "data from the Baltic-Nordic Freight Index",
            "named",
        ),
        ("sourcing", "vague_source", "warned", 1623, "Farmers' groups", "vague"),
        ("sourcing", "vague_source", "said", 1993, "two grain traders", "vague"),
        ("sourcing", "attribution", "said", 2168, "The union", "official"),
        (
            "syndication",
            "wire_credit",
            "(Reporting by Lena Marsh in Valmora and Tomas Berg in Stockholm; Editing by Catherine Holt and Mark Potter)",
            2278,
            None,
            None,
        ),
    ],
    "republished-footer": [
        ("sourcing", "attribution", "confirmed", 470, "the state health department", "official"),
        ("sourcing", "attribution", "said", 634, "clinic manager Rosa Linden", "named"),
        ("sourcing", "attribution", "said", 796, "Linden", "named"),
        (
            "sourcing",
            "attribution",
            "said",
            977,
            "State Rep. Curtis Hale, who chairs the House health committee",
            "named",
        ),
        ("sourcing", "attribution", "said", 1134, "A spokesperson for the governor's office", "official"),
        ("sourcing", "vague_source", "say", 1255, "Health researchers", "vague"),
        ("sourcing", "hedge", "could have", 1268, None, None),
        ("sourcing", "attribution", "said", 1738, "he", None),
        ("sourcing", "vague_source", "said", 1875, "clinic staff", "vague"),
        ("sourcing", "attribution", "said", 1946, "Linden", "named"),
        ("sourcing", "attribution", "said", 2068, "she", "named"),
        (
            "syndication",
            "origin_credit",
            "This article was originally published by Prairie Health Watch, a nonprofit newsroom covering health care in the Great Plains.",
            2114,
            None,
            None,
        ),
        (
            "syndication",
            "boilerplate",
            "Support our journalism. Riverbend Gazette is reader-funded. Donate now to keep local reporting free for everyone.",
            2240,
            None,
            None,
        ),
    ],
    "anonymous-sourcing": [
        ("glossary", "definition", "International Atomic Energy Agency (IAEA)", 20, None, None),
        (
            "sourcing",
            "vague_source",
            "according to",
            181,
            "two officials who asked not to be named because the negotiations are ongoing",
            "anonymous",
        ),
        ("glossary", "acronym", "IAEA", 324, None, None),
        ("sourcing", "vague_source", "said", 451, "the officials", "vague"),
        ("sourcing", "vague_source", "told", 639, "A source close to the negotiations", "anonymous"),
        ("sourcing", "hedge", "allegedly", 844, None, None),
        (
            "sourcing",
            "vague_source",
            "according to",
            925,
            "a report circulated among diplomats last month",
            "media",
        ),
        ("sourcing", "hedge", "could not be independently verified", 996, None, None),
        ("sourcing", "attribution", "has denied", 1052, "the government", "official"),
        ("glossary", "acronym", "IED", 1127, None, None),
        ("sourcing", "vague_source", "said", 1258, "Residents", "vague"),
        ("sourcing", "vague_source", "said", 1552, "Other residents", "vague"),
        ("sourcing", "hedge", "it is unclear whether", 1630, None, None),
        ("glossary", "acronym", "IAEA", 1693, None, None),
        ("sourcing", "attribution", "said", 1729, "IAEA Director General Rafael Moreno", "named"),
        ("sourcing", "vague_source", "said", 2000, "Diplomats familiar with the discussions", "anonymous"),
        ("sourcing", "hedge", "likely", 2025, None, None),
        ("sourcing", "vague_source", "said", 2200, "One European diplomat", "anonymous"),
        ("sourcing", "hedge", "appeared to", 2215, None, None),
        ("sourcing", "vague_source", "cautioned", 2347, "Analysts", "vague"),
        (
            "sourcing",
            "attribution",
            "said",
            2484,
            "Lena Fischer, a nonproliferation researcher at the Institute for Security Studies in Vienna",
            "named",
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_page_annotations(name: str, tmp_path: Path) -> None:
    assert summary(annotate(name, tmp_path)) == EXPECTED[name]
