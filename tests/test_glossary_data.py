"""Sanity checks for the shipped news-domain glossary data file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GLOSSARY_PATH = Path(__file__).parent.parent / "backend/readctx/data/glossary.json"
ALLOWED_KINDS = {"ORG", "GROUP", "EQUIPMENT", "PLACE", "TERM", "PERSON"}
ENTRY_KEYS = {"term", "kind", "expansion", "aliases", "description"}
MAX_DESCRIPTION_CHARS = 200


@pytest.fixture(scope="module")
def glossary() -> dict[str, Any]:
    with GLOSSARY_PATH.open(encoding="utf-8") as fh:
        data = json.load(fh)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def entries(glossary: dict[str, Any]) -> list[dict[str, Any]]:
    items = glossary["entries"]
    assert isinstance(items, list)
    return items


@pytest.fixture(scope="module")
def by_term(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["term"]: e for e in entries}


def test_top_level_fields(glossary: dict[str, Any]) -> None:
    assert set(glossary) == {"version", "description", "entries"}
    assert isinstance(glossary["version"], str) and glossary["version"]
    assert isinstance(glossary["description"], str) and glossary["description"]


def test_has_at_least_400_entries(entries: list[dict[str, Any]]) -> None:
    assert len(entries) >= 400


def test_entry_shape_and_types(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        assert isinstance(entry, dict)
        assert set(entry) == ENTRY_KEYS, entry
        assert isinstance(entry["term"], str) and entry["term"].strip() == entry["term"] != ""
        assert entry["kind"] in ALLOWED_KINDS, entry
        expansion = entry["expansion"]
        assert expansion is None or (isinstance(expansion, str) and expansion.strip()), entry
        assert isinstance(entry["aliases"], list), entry
        for alias in entry["aliases"]:
            assert isinstance(alias, str) and alias.strip() == alias != "", entry


def test_descriptions(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        desc = entry["description"]
        assert isinstance(desc, str) and desc.strip(), entry["term"]
        assert len(desc) <= MAX_DESCRIPTION_CHARS, entry["term"]
        assert desc.endswith("."), entry["term"]


def test_no_duplicate_terms_or_aliases(entries: list[dict[str, Any]]) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        for name in [entry["term"], *entry["aliases"]]:
            key = name.casefold()
            assert key not in seen, f"{name!r} in {entry['term']!r} duplicates {seen.get(key)!r}"
            seen[key] = entry["term"]


def test_entries_sorted_case_insensitively(entries: list[dict[str, Any]]) -> None:
    terms = [e["term"] for e in entries]
    assert terms == sorted(terms, key=str.casefold)


def test_spot_checks(by_term: dict[str, dict[str, Any]]) -> None:
    assert by_term["IAEA"]["expansion"] == "International Atomic Energy Agency"
    assert by_term["IAEA"]["kind"] == "ORG"
    assert by_term["IED"]["kind"] == "EQUIPMENT"
    assert by_term["IED"]["expansion"] == "improvised explosive device"
    assert "Daesh" in by_term["ISIS"]["aliases"]
    assert by_term["ISIS"]["kind"] == "GROUP"
    assert by_term["HTS"]["expansion"] == "Hayat Tahrir al-Sham"
    assert by_term["SDF"]["expansion"] == "Syrian Democratic Forces"
    assert by_term["MANPADS"]["expansion"] == "man-portable air-defence system"
    assert by_term["HIMARS"]["expansion"] == "High Mobility Artillery Rocket System"
    assert by_term["Gaza Strip"]["kind"] == "PLACE"
    assert by_term["GDP"]["kind"] == "TERM"


def test_known_kinds_file_lists_each_name_once_under_a_real_kind() -> None:
    data = json.loads((GLOSSARY_PATH.parent / "known_kinds.json").read_text(encoding="utf-8"))
    lists = {kind: names for kind, names in data.items() if kind != "description"}
    assert set(lists) <= ALLOWED_KINDS
    names = [" ".join(name.split()).casefold() for kind_names in lists.values() for name in kind_names]
    assert len(names) == len(set(names)) > 400
