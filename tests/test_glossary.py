from __future__ import annotations

import pytest

from readctx.acronyms import find_aliases, find_definitions, match_long_form
from readctx.curated import CuratedGlossary, CuratedTerm, PhraseMatcher, load_curated, lookup_forms, parse_curated
from readctx.entities import person_name, tidy_name
from readctx.glossary import GlossaryAnnotator
from readctx.text import prepare
from readctx.types import GLOSSARY_LABELS, Annotation, Doc, GlossaryEntry, InputDocument, TaggedSpan

CURATED = [
    CuratedTerm(
        "IAEA",
        "ORG",
        "International Atomic Energy Agency",
        ("UN nuclear watchdog",),
        "UN agency for nuclear safety and safeguards.",
    ),
    CuratedTerm("IED", "EQUIPMENT", "improvised explosive device", (), "A homemade bomb."),
    CuratedTerm("APC", "EQUIPMENT", "armoured personnel carrier", (), "An armoured troop vehicle."),
    CuratedTerm("Hezbollah", "GROUP", None, (), "Lebanese Shia political party and armed group."),
    CuratedTerm(
        "UNHCR",
        "ORG",
        "Office of the UN High Commissioner for Refugees",
        ("UN refugee agency",),
        "The UN agency for refugees.",
    ),
    CuratedTerm("Patriot", "EQUIPMENT", "MIM-104 Patriot", (), "A US air-defence missile system."),
    CuratedTerm("WHO", "ORG", "World Health Organization", (), "The UN health agency."),
]


def annotate(
    text: str, *, tagged: list[TaggedSpan] | None = None, curated: list[CuratedTerm] | None = None
) -> tuple[Doc, list[Annotation]]:
    doc = prepare(InputDocument(text=text), default_id="t", max_text_chars=10**6)
    doc.tagged = tagged
    annotations = GlossaryAnnotator(CURATED if curated is None else curated)(doc)
    for a in annotations:
        assert a.type == "glossary" and a.label in GLOSSARY_LABELS
        assert a.exact == text[a.start : a.end]
        assert 0.0 < a.confidence <= 1.0 and a.explanation and "\n" not in a.explanation
        assert a.annotator in ("rules", "model", "rules+model", "curated") and a.detail is not None
    return doc, annotations


def tag(text: str, surface: str, label: str, confidence: float, length: int | None = None) -> TaggedSpan:
    start = text.index(surface)
    end = start + (len(surface) if length is None else length)
    return TaggedSpan("entity", label, start, end, confidence)


def entry(doc: Doc, term: str) -> GlossaryEntry:
    found = [g for g in doc.glossary if g.term == term]
    assert len(found) == 1, [g.term for g in doc.glossary]
    return found[0]


def spans(doc: Doc, term: str) -> list[str]:
    return [doc.text[m.start : m.end] for m in entry(doc, term).mentions]


def labelled(annotations: list[Annotation], label: str) -> list[tuple[int, int, str]]:
    return [(a.start, a.end, a.exact) for a in annotations if a.label == label]


def test_long_form_then_short_form() -> None:
    text = (
        "IAEA inspectors arrived. The International Atomic Energy Agency (IAEA) said on Monday "
        "that the IAEA's team would stay. IAEAX and iaea are not mentions."
    )
    doc, annotations = annotate(text, curated=[])
    iaea = entry(doc, "IAEA")
    assert (iaea.expansion, iaea.kind, iaea.origin) == ("International Atomic Energy Agency", "ORG", "text")
    later = text.index("IAEA's")
    assert [(m.start, m.end) for m in iaea.mentions] == [(0, 4), (29, 63), (65, 69), (later, later + 4)]
    assert labelled(annotations, "definition") == [(29, 70, "International Atomic Energy Agency (IAEA)")]
    # Short forms outside the definition, before and after it; the definition's own are not repeated.
    assert labelled(annotations, "acronym") == [(0, 4, "IAEA"), (later, later + 4, "IAEA")]
    definition = next(a for a in annotations if a.label == "definition")
    assert definition.confidence > 0.9 and definition.detail == "ORG" and definition.annotator == "rules"


def test_short_form_then_long_form_in_parentheses() -> None:
    text = "IAEA (International Atomic Energy Agency) inspectors left Iran. IAEA chief Rafael Grossi spoke."
    doc, annotations = annotate(text, curated=[])
    assert entry(doc, "IAEA").expansion == "International Atomic Energy Agency"
    assert labelled(annotations, "definition") == [(0, 41, text[:41])]
    later = text.index("IAEA chief")
    assert labelled(annotations, "acronym") == [(later, later + 4, "IAEA")]


def test_foreign_language_acronym_is_accepted_at_lower_confidence() -> None:
    text = "The medical charity Doctors Without Borders (MSF) said MSF staff had left."
    doc, annotations = annotate(text, curated=[])
    msf = entry(doc, "MSF")
    assert msf.expansion == "Doctors Without Borders"
    definition = next(a for a in annotations if a.label == "definition")
    assert definition.exact == "Doctors Without Borders (MSF)"
    assert definition.confidence < 0.7
    assert "letters do not match" in definition.explanation
    assert labelled(annotations, "acronym") == [(55, 58, "MSF")]


def test_letter_matching_sets_the_long_form_boundary() -> None:
    text = (
        "Fighters of the Islamic State of Iraq and the Levant (ISIL) fought Iran's Islamic "
        "Revolutionary Guard Corps (IRGC) and the Kurdistan Workers' Party (PKK)."
    )
    found = {d.short: (d.long, d.letters_match) for d in find_definitions(text)}
    assert found == {
        "ISIL": ("Islamic State of Iraq and the Levant", True),
        "IRGC": ("Islamic Revolutionary Guard Corps", True),
        "PKK": ("Kurdistan Workers' Party", False),
    }
    assert match_long_form("MRF", "of the Markov random field") == 7
    assert match_long_form("MSF", "Doctors Without Borders") is None


def test_datelines_credits_and_plain_parentheses_are_not_definitions() -> None:
    text = (
        "WASHINGTON (AP) — Officials (two of them) met in Geneva (Reuters) on Monday (local time) "
        "with Sen. Ted Cruz (R-TX), Apple Inc (NASDAQ: AAPL) and the US (Washington)."
    )
    assert find_definitions(text) == []


def test_aliases() -> None:
    text = (
        "Hayat Tahrir al-Sham (formerly known as the Nusra Front) holds Idlib. "
        "The Islamic State group, also known as ISIS, lost Raqqa. "
        "Musk bought X, formerly Twitter, last year. "
        "Ciudad Juárez (known locally as Juárez) is a border city. Later, the Nusra Front was gone."
    )
    pairs = [(a.head, a.alias) for a in find_aliases(text)]
    assert pairs == [
        ("Hayat Tahrir al-Sham", "Nusra Front"),
        ("Islamic State", "ISIS"),
        ("X", "Twitter"),
        ("Ciudad Juárez", "Juárez"),
    ]
    doc, annotations = annotate(text, curated=[])
    hts = entry(doc, "Hayat Tahrir al-Sham")
    assert hts.aliases == ["Nusra Front"]
    assert spans(doc, "Hayat Tahrir al-Sham") == ["Hayat Tahrir al-Sham", "Nusra Front", "Nusra Front"]
    assert entry(doc, "Islamic State").aliases == ["ISIS"]
    assert len(labelled(annotations, "definition")) == 4


def test_curated_terms_the_text_never_defines() -> None:
    text = (
        "An IED hit an APC near a Hezbollah post, the UN refugee agency said. "
        "Patriot batteries were moved. The UNHCR said the ied and apc reports were unconfirmed."
    )
    doc, annotations = annotate(text)
    assert [g.term for g in doc.glossary] == ["IED", "APC", "Hezbollah", "UNHCR"]
    ied = entry(doc, "IED")
    assert (ied.origin, ied.kind, ied.expansion, ied.description) == (
        "curated",
        "EQUIPMENT",
        "improvised explosive device",
        "A homemade bomb.",
    )
    assert spans(doc, "IED") == ["IED"]  # case-sensitive: "ied" is not matched
    assert spans(doc, "UNHCR") == ["UN refugee agency", "UNHCR"]
    unhcr = text.index("UNHCR")
    assert labelled(annotations, "acronym") == [(3, 6, "IED"), (14, 17, "APC"), (unhcr, unhcr + 5, "UNHCR")]
    hezbollah = next(a for a in annotations if a.exact == "Hezbollah")
    assert (hezbollah.label, hezbollah.annotator, hezbollah.detail) == ("entity", "curated", "GROUP")
    # "Patriot" is an ordinary word too often to be looked up without the model's say-so.
    assert not any(a.exact == "Patriot" for a in annotations)


def test_all_caps_terms_in_a_shouted_headline_are_skipped() -> None:
    doc, _ = annotate("WHO SAID WHAT ABOUT IT\n\nThe WHO said cases rose.")
    assert [(m.start, m.end) for m in entry(doc, "WHO").mentions] == [(28, 31)]


def test_in_text_definition_wins_and_gets_the_curated_description() -> None:
    text = "The UN nuclear watchdog, the Atomic Agency of the UN (IAEA), said IAEA inspectors were back."
    doc, _ = annotate(text)
    assert len(doc.glossary) == 1
    iaea = doc.glossary[0]
    assert iaea.expansion == "Atomic Agency of the UN"  # the text's own expansion
    assert iaea.description == "UN agency for nuclear safety and safeguards."
    assert (iaea.origin, iaea.kind) == ("text", "ORG")
    assert spans(doc, "IAEA") == ["UN nuclear watchdog", "Atomic Agency of the UN", "IAEA", "IAEA"]


def test_rule_fallback_without_the_model() -> None:
    text = (
        "The United Nations Security Council met on Monday. President Joe Biden said the "
        "Foreign Office in London would help. Biden left later for the UN General Assembly."
    )
    doc, annotations = annotate(text, tagged=None, curated=[])
    terms = [g.term for g in doc.glossary]
    assert terms == ["United Nations Security Council", "Joe Biden", "Foreign Office", "UN General Assembly"]
    biden = entry(doc, "Joe Biden")
    assert (biden.kind, biden.origin) == ("PERSON", "rules")
    assert spans(doc, "Joe Biden") == ["Joe Biden", "Biden"]
    assert entry(doc, "United Nations Security Council").kind == "ORG"
    entities = [a for a in annotations if a.label == "entity"]
    assert all(a.annotator == "rules" and a.confidence < 0.7 for a in entities)
    assert [a.exact for a in entities] == [
        "United Nations Security Council",
        "Joe Biden",
        "Foreign Office",
        "Biden",
        "UN General Assembly",
    ]


def test_model_entities_are_grouped_and_linked_to_acronyms() -> None:
    text = (
        "Joe Biden met the International Atomic Energy Agency (IAEA) chief. Biden praised "
        "the IAEA and Hezbollah denied it."
    )
    tagged = [
        tag(text, "Joe Biden", "PERSON", 0.97),
        tag(text, "International Atomic Energy Agency", "ORG", 0.95),
        tag(text, "Biden praised", "PERSON", 0.9, length=5),
        tag(text, "the IAEA and", "ORG", 0.93, length=8),  # trimmed to the name
        tag(text, "Hezbollah", "GROUP", 0.88),
        TaggedSpan("hedge", "hedge", 0, 3, 0.5),
    ]
    doc, annotations = annotate(text, tagged=tagged, curated=CURATED[:4])
    assert [g.term for g in doc.glossary] == ["Joe Biden", "IAEA", "Hezbollah"]
    biden = entry(doc, "Joe Biden")
    assert (biden.kind, biden.origin) == ("PERSON", "model")
    assert spans(doc, "Joe Biden") == ["Joe Biden", "Biden"]
    iaea = entry(doc, "IAEA")
    assert (iaea.origin, iaea.description) == ("text", "UN agency for nuclear safety and safeguards.")
    assert spans(doc, "IAEA") == ["International Atomic Energy Agency", "IAEA", "IAEA"]
    entity = [(a.exact, a.annotator, a.detail, a.confidence) for a in annotations if a.label == "entity"]
    assert entity == [
        ("Joe Biden", "model", "PERSON", 0.97),
        ("Biden", "model", "PERSON", 0.9),
        ("Hezbollah", "curated", "GROUP", pytest.approx(1 - 0.2 * 0.12)),
    ]  # both agree
    later = text.index("IAEA and")
    assert labelled(annotations, "acronym") == [(later, later + 4, "IAEA")]
    acronym = next(a for a in annotations if a.label == "acronym")
    assert acronym.annotator == "rules+model" and acronym.confidence == pytest.approx(1 - 0.1 * 0.07)


def test_an_ambiguous_curated_word_confirmed_by_the_model() -> None:
    text = "Patriot batteries were moved to Poland."
    doc, annotations = annotate(text, tagged=[TaggedSpan("entity", "EQUIPMENT", 0, 7, 0.9)])
    patriot = entry(doc, "Patriot")
    assert (patriot.origin, patriot.expansion) == ("curated", "MIM-104 Patriot")
    assert [(a.label, a.annotator) for a in annotations] == [("entity", "model")]


def test_model_present_means_no_rule_fallback() -> None:
    doc, annotations = annotate("President Joe Biden met Ali Khamenei.", tagged=[], curated=[])
    assert doc.glossary == [] and annotations == []


def test_one_entry_per_concept_in_first_mention_order() -> None:
    text = (
        "The UN refugee agency warned. Later the UN High Commissioner for Refugees (UNHCR) said UNHCR staff were safe."
    )
    doc, _ = annotate(text, tagged=[tag(text, "UNHCR staff", "ORG", 0.9, length=5)])
    assert [g.term for g in doc.glossary] == ["UNHCR"]
    assert spans(doc, "UNHCR") == ["UN refugee agency", "UN High Commissioner for Refugees", "UNHCR", "UNHCR"]
    assert doc.glossary[0].description == "The UN agency for refugees."
    starts = [g.mentions[0].start for g in doc.glossary]
    assert starts == sorted(starts)


def test_glossary_json_shape() -> None:
    doc, _ = annotate("An IED exploded.")
    assert doc.glossary[0].to_json() == {
        "term": "IED",
        "kind": "EQUIPMENT",
        "expansion": "improvised explosive device",
        "aliases": [],
        "description": "A homemade bomb.",
        "mentions": [{"start": 3, "end": 6}],
        "origin": "curated",
    }


def test_phrase_matcher_leftmost_longest_at_word_boundaries() -> None:
    matcher = PhraseMatcher([("UN", 1), ("UN Security Council", 2), ("refugee agency", 3)])
    text = "The UN Security Council, UNSC and the Refugee Agency"
    hits = [(h.start, h.end, h.value) for h in matcher.find(text)]
    assert hits == [(4, 23, 2), (38, 52, 3)]


def test_curated_file_parsing_and_cache() -> None:
    terms = parse_curated(
        {
            "version": "1",
            "entries": [
                {"term": "IED", "kind": "EQUIPMENT", "expansion": None, "aliases": ["roadside bomb"]},
                {"term": "X", "kind": "NOT-A-KIND"},
                {"kind": "ORG"},
            ],
        }
    )
    assert terms == [CuratedTerm("IED", "EQUIPMENT", None, ("roadside bomb",)), CuratedTerm("X", "TERM")]
    glossary = CuratedGlossary(terms)
    assert glossary.lookup("roadside  bomb") == terms[0]
    assert load_curated() is load_curated()


@pytest.mark.parametrize("text", ["", "   ", "no names here at all."])
def test_empty_or_plain_text(text: str) -> None:
    doc = Doc(id="t", text=text, sentences=[])
    assert GlossaryAnnotator(CURATED)(doc) == [] and doc.glossary == []


def test_rule_names_start_at_a_word_start() -> None:
    # A capital inside a word does not start a name: not "Phone Pro Max".
    text = "Sales of the iPhone Pro Max rose, said Tim Cook."
    doc, _ = annotate(text, tagged=None, curated=[])
    assert [g.term for g in doc.glossary] == ["Pro Max", "Tim Cook"]


def test_inline_alias_after_a_run_of_blanks() -> None:
    text = "They fought the Nusra Front,   also known as Jabhat Fateh al-Sham, in the north."
    assert [(a.head, a.alias, a.cue) for a in find_aliases(text)] == [
        ("Nusra Front", "Jabhat Fateh al-Sham", "also known as")
    ]


def test_word_lists_share_one_helper_and_modules_stay_small() -> None:
    import inspect

    from readctx import acronyms, curated, entities, entity_rules, glossary, names, people

    for module in (acronyms, curated, entities, entity_rules, glossary, names, people):
        source = inspect.getsource(module)
        assert "def _word_set" not in source and ("def word_set" not in source or module is names)
        assert len(source.splitlines()) <= 400, module.__name__
    assert acronyms.CONNECTORS is names.CONNECTORS and "of" in names.word_set("of the")


def test_a_tagger_organisation_with_an_armed_group_head_word_is_a_group() -> None:
    from readctx.entities import model_entities

    text = "Fighters of the Al-Quds Brigades shelled the town, the National Front said."
    tagged = [tag(text, "the Al-Quds Brigades", "ORG", 0.9), tag(text, "National Front", "ORG", 0.8)]
    assert [(e.kind, text[e.start : e.end], e.explanation) for e in model_entities(text, tagged)] == [
        ("GROUP", "Al-Quds Brigades", "armed group: an organisation named by the tagger, by its head word"),
        ("ORG", "National Front", "org named by the tagger"),  # a party, though "front" hints at a group
    ]


def test_model_entities_must_look_like_names() -> None:
    from readctx.entities import looks_like_a_name

    text = "Residents fled. The plant closed. One European diplomat said the residents left. The European Union met."

    def check(surface: str, occurrence: int = 0) -> bool:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(surface, start + 1)
        return looks_like_a_name(text, start, start + len(surface))

    assert not check("Residents")  # sentence-initial capital; "residents" appears in lower case too
    assert not check("The plant")
    assert not check("One European diplomat")
    assert check("The European Union")


def test_a_group_of_people_is_not_a_glossary_name() -> None:
    from readctx.entities import looks_like_a_name

    text = "Officials said the talks had collapsed. Some analysts disagreed."
    assert not looks_like_a_name(text, 0, len("Officials"))
    start = text.index("Some analysts")
    assert not looks_like_a_name(text, start, start + len("Some analysts"))


def test_tagger_spans_are_tidied_to_the_name_and_titles_do_not_split_a_person() -> None:
    text = (
        "Rival Donald Trump says he won. Mr. Trump spoke, yet Donald Trump's campaign was quiet. "
        "Clinton spokesman Nick Merrill and NATO members met in Brussels. "
        "T-72 tanks moved."
    )
    tagged = [
        tag(text, "Rival Donald Trump says", "PERSON", 0.9),
        tag(text, "Mr. Trump", "ORG", 0.8),
        tag(text, "yet Donald Trump's campaign", "PERSON", 0.9),
        tag(text, "Clinton spokesman Nick Merrill", "PERSON", 0.9),
        tag(text, "NATO members", "ORG", 0.9),
        tag(text, "T-72 tanks", "EQUIPMENT", 0.9),
    ]
    doc, _ = annotate(text, tagged=tagged, curated=[])
    assert [(g.term, g.kind, [text[m.start : m.end] for m in g.mentions]) for g in doc.glossary] == [
        ("Donald Trump", "PERSON", ["Donald Trump", "Mr. Trump", "Donald Trump"]),
        ("Nick Merrill", "PERSON", ["Nick Merrill"]),
        ("NATO", "ORG", ["NATO"]),
        ("T-72 tanks", "EQUIPMENT", ["T-72 tanks"]),
    ]


@pytest.mark.parametrize(
    ("span", "kind", "name"),
    [
        ("Dickey, the chief executive of Ora Media", "PERSON", "Dickey"),
        ("Justice Clarence Thomas, 76", "PERSON", "Justice Clarence Thomas"),
        ("Pascal Soriot, AstraZeneca's chief executive", "PERSON", "Pascal Soriot"),
        ("Martin Luther King, Jr.", "PERSON", "Martin Luther King, Jr."),
        ("Abu Bakr al-Baghdadi", "PERSON", "Abu Bakr al-Baghdadi"),
        ("Charles de Gaulle", "PERSON", "Charles de Gaulle"),
        ("Neither Clinton nor her allies", "ORG", "Clinton"),
        ("Hillary Clinton and her campaign", "PERSON", "Hillary Clinton"),
        ("Bosnia and Herzegovina", "PLACE", "Bosnia and Herzegovina"),
        ("Department of Defense", "ORG", "Department of Defense"),
        ("Mr", "PERSON", ""),
        ("then-rival Barack Obama", "PERSON", "Barack Obama"),
        ("Roper Center for Public Opinion Research", "PERSON", "Roper Center for Public Opinion Research"),
        ("former Liverpool captain", "PERSON", ""),
        ("British troops", "GROUP", ""),
        ("Interfax news agency", "PERSON", "Interfax"),
        ("Obama administration", "ORG", "Obama administration"),
        ("NATO members", "ORG", "NATO"),
        ("the U.S.", "PLACE", "U.S."),
        ("al-Qaeda in Iraq", "GROUP", "al-Qaeda in Iraq"),
    ],
)
def test_tidy_name(span: str, kind: str, name: str) -> None:
    start, end = tidy_name(span, 0, len(span), kind)
    assert span[start:end] == name


def test_a_known_term_inside_a_longer_tagger_span_keeps_its_gloss() -> None:
    text = (
        "Rebels hit two T-72 tanks and BMP-2 infantry fighting vehicles; "
        "Hezbollah fighters laid IEDs and fired TOW missiles."
    )
    curated = [
        CuratedTerm("T-72", "EQUIPMENT", None, (), "Soviet tank."),
        CuratedTerm("BMP", "EQUIPMENT", None, (), "Soviet infantry fighting vehicles."),
        CuratedTerm("Hezbollah", "GROUP", None, (), "Lebanese armed group."),
        CuratedTerm("IED", "EQUIPMENT", "improvised explosive device", (), "A homemade bomb."),
        CuratedTerm("TOW missile", "EQUIPMENT", None, (), "US anti-tank missile."),
    ]
    tagged = [
        tag(text, "T-72 tanks", "EQUIPMENT", 0.9),
        tag(text, "BMP-2 infantry fighting vehicles", "EQUIPMENT", 0.9),
        tag(text, "Hezbollah fighters", "ORG", 0.9),
    ]
    doc, _ = annotate(text, tagged=tagged, curated=curated)
    assert [(g.term, g.description, [text[m.start : m.end] for m in g.mentions]) for g in doc.glossary] == [
        ("T-72", "Soviet tank.", ["T-72 tanks"]),
        ("BMP", "Soviet infantry fighting vehicles.", ["BMP-2 infantry fighting vehicles"]),
        ("Hezbollah", "Lebanese armed group.", ["Hezbollah"]),
        ("IED", "A homemade bomb.", ["IEDs"]),
        ("TOW missile", "US anti-tank missile.", ["TOW missiles"]),
    ]


def test_a_guessed_expansion_gives_way_to_the_curated_one_and_party_states_are_no_acronyms() -> None:
    text = (
        "The People's Protection Units (YPG) held the town. Gov. Mike Pence (R-IN) and Sen. Ted Cruz (R-Texas) spoke."
    )
    curated = [CuratedTerm("YPG", "GROUP", "People's Protection Units", (), "Syrian Kurdish militia.")]
    doc, annotations = annotate(text, tagged=[], curated=curated)
    assert [(g.term, g.expansion, g.description) for g in doc.glossary] == [
        ("YPG", "People's Protection Units", "Syrian Kurdish militia.")
    ]
    assert not [a for a in annotations if "R-" in a.exact]


def test_known_places_and_outlets_correct_the_taggers_kind() -> None:
    text = "BRUSSELS - Kiev will get aid, the Interfax news agency reported, citing Jordan Peterson."
    tagged = [
        tag(text, "BRUSSELS", "PERSON", 0.8),
        tag(text, "Kiev", "PERSON", 0.8),
        tag(text, "Interfax news agency", "PERSON", 0.8),
        tag(text, "Jordan Peterson", "PERSON", 0.9),  # a place's name inside a person's is still a person
    ]
    doc, _ = annotate(text, tagged=tagged, curated=[])
    assert [(g.term, g.kind) for g in doc.glossary] == [
        ("BRUSSELS", "PLACE"),
        ("Kiev", "PLACE"),
        ("Interfax", "ORG"),
        ("Jordan Peterson", "PERSON"),
    ]


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Iraqi Prime Minister Mohammed al-Sudani", "Mohammed al-Sudani"),
        ("Vermont Sen. Bernie Sanders", "Bernie Sanders"),
        ("Mr. Trump", "Trump"),
        ("Texas Attorney General Ken Paxton", "Ken Paxton"),
        ("ECB President Christine Lagarde", "Christine Lagarde"),
        ("PolitiFact Executive Director Aaron Sharockman", "PolitiFact Executive Director Aaron Sharockman"),
        ("Kingsley Amis", "Kingsley Amis"),
        ("Prime Minister", "Prime Minister"),
    ],
)
def test_person_name_drops_titles_and_their_place(surface: str, name: str) -> None:
    assert person_name(surface) == name


def test_review_cases_suffixes_plurals_honorifics_and_groups() -> None:
    assert person_name("Martin Luther King Jr.") == "Martin Luther King Jr."
    assert person_name("French President Emmanuel Macron") == "Emmanuel Macron"
    assert lookup_forms("Hamas") == ["Hamas"]  # not the Syrian city Hama
    text = "Mr. Jordan met Houthi rebels."
    curated = [CuratedTerm("Houthis", "GROUP", None, (), "Yemeni armed movement.")]
    tagged = [tag(text, "Mr. Jordan", "PERSON", 0.9), tag(text, "Houthi rebels", "ORG", 0.9)]
    doc, _ = annotate(text, tagged=tagged, curated=curated)
    assert [(g.term, g.kind, g.description) for g in doc.glossary] == [
        ("Mr. Jordan", "PERSON", None),
        ("Houthis", "GROUP", "Yemeni armed movement."),
    ]


def test_a_first_name_the_tagger_cut_short_gets_its_surname() -> None:
    text = (
        "Mehmet Oz spoke. Hillary Clinton has gone. Republican Donald Trump won. The Green Party met. Clinton Plan. "
        "Pence Gives GOP A Boost."
    )
    tagged = [
        tag(text, "Mehmet", "PERSON", 0.4),  # "Oz" untagged
        tag(text, "Hillary", "PERSON", 0.3),
        tag(text, "Clinton has", "ORG", 0.3, length=len("Clinton")),  # the surname typed as an organisation
        tag(text, "Republican", "PERSON", 0.3),  # the next word starts another name
        tag(text, "Donald Trump", "PERSON", 0.9),
        tag(text, "Green", "PERSON", 0.3),  # "Party" heads an organisation
        tag(text, "Clinton Plan", "PERSON", 0.3, length=len("Clinton")),  # a surname already: no name to complete
        tag(text, "Pence", "PERSON", 0.3),  # a headline's capitals go on: "Gives" is no surname
    ]
    doc, _ = annotate(text, tagged=tagged, curated=[])
    assert [(g.term, g.kind, [text[m.start : m.end] for m in g.mentions]) for g in doc.glossary] == [
        ("Mehmet Oz", "PERSON", ["Mehmet Oz"]),
        ("Hillary Clinton", "PERSON", ["Hillary Clinton", "Clinton"]),
        ("Republican", "PERSON", ["Republican"]),
        ("Donald Trump", "PERSON", ["Donald Trump"]),
        ("Green", "PERSON", ["Green"]),
        ("Pence", "PERSON", ["Pence"]),
    ]


def test_lone_name_words_join_their_one_person_whatever_the_tagger_typed() -> None:
    text = (
        "John Stumpf resigned. Stumpf said Hillary Clinton was wrong. Democrat Hillary Clinton replied. "
        "Hillary agreed. Michael Jordan and Jordan met. Clinton and Hillary left."
    )
    tagged = [
        tag(text, "John Stumpf", "PERSON", 0.9),
        tag(text, "Stumpf said", "PLACE", 0.6, length=len("Stumpf")),  # the surname typed as a place
        tag(text, "Hillary Clinton was", "ORG", 0.8, length=len("Hillary Clinton")),  # outvoted, though first
        tag(text, "Democrat Hillary Clinton", "PERSON", 0.8),
        tag(text, "Hillary agreed", "ORG", 0.5, length=len("Hillary")),  # not a first name: Chelsea, the club
        tag(text, "Michael Jordan", "PERSON", 0.9),
        tag(text, "Jordan met", "PLACE", 0.9, length=len("Jordan")),  # a known place stays one
        tag(text, "Clinton and", "PERSON", 0.7, length=len("Clinton")),
        tag(text, "Hillary left", "PERSON", 0.7, length=len("Hillary")),
    ]
    doc, _ = annotate(text, tagged=tagged, curated=[])
    assert [(g.term, g.kind, len(g.mentions)) for g in doc.glossary] == [
        ("John Stumpf", "PERSON", 2),
        ("Hillary Clinton", "PERSON", 4),
        ("Hillary", "ORG", 1),
        ("Michael Jordan", "PERSON", 1),
        ("Jordan", "PLACE", 1),
    ]
    assert person_name("Democrat Hillary Clinton") == "Hillary Clinton"
    # A surname two people share goes to the one whose title it carries, else to no one; a role is no plain name
    # to join; "Mr Smith" and "Mrs Smith" are two people.
    text = (
        "Sen. Ted Cruz spoke. Rafael Cruz and Charlotte Mayor Jennifer Roberts listened. Cruz and Charlotte left. "
        "Sen. Cruz stayed. Mr Smith and Mrs Smith came."
    )
    tagged = [
        tag(text, "Sen. Ted Cruz", "PERSON", 0.9),
        tag(text, "Rafael Cruz", "PERSON", 0.9),
        tag(text, "Charlotte Mayor Jennifer Roberts", "PERSON", 0.9),
        tag(text, "Cruz and Charlotte left", "PERSON", 0.9, length=len("Cruz")),
        tag(text, "Charlotte left", "PLACE", 0.9, length=len("Charlotte")),
        tag(text, "Sen. Cruz", "PERSON", 0.9),
        tag(text, "Mr Smith", "PERSON", 0.9),
        tag(text, "Mrs Smith", "PERSON", 0.9),
    ]
    doc, _ = annotate(text, tagged=tagged, curated=[])
    assert [(g.term, len(g.mentions)) for g in doc.glossary] == [
        ("Ted Cruz", 2),
        ("Rafael Cruz", 1),
        ("Charlotte Mayor Jennifer Roberts", 1),
        ("Cruz", 1),
        ("Charlotte", 1),
        ("Mr Smith", 1),
        ("Mrs Smith", 1),
    ]
    assert person_name("Republican Party") == "Republican Party"  # a party word before one word stays
    assert person_name("Republican National Committee") == "Republican National Committee"


def test_an_organisation_typed_as_a_person_and_an_injected_glossary() -> None:
    from readctx.entities import model_entities

    text = "The Tax Foundation and Margaret Court spoke. Houthi rebels fired."
    tagged = [tag(text, "Tax Foundation", "PERSON", 0.8), tag(text, "Margaret Court", "PERSON", 0.8)]
    assert [(text[e.start : e.end], e.kind) for e in model_entities(text, tagged)] == [
        ("Tax Foundation", "ORG"),
        ("Margaret Court", "PERSON"),  # "Court" is a surname too
    ]
    houthis = (text.index("Houthi"), text.index(" fired"))
    # The curated glossary a caller injects decides which groups a description may be, not the shipped one.
    assert tidy_name(text, *houthis, "GROUP") == (houthis[0], houthis[0] + len("Houthi"))
    assert tidy_name(text, *houthis, "GROUP", CuratedGlossary([])) == (houthis[0], houthis[0])


def test_a_tagger_span_in_a_dateline_city_is_that_place() -> None:
    from readctx.entities import model_entities

    text = "NEW YORK, Oct 3 (Reuters) - Stocks fell.\nSAO PAULO (AP) — Boeing said.\nTHE END - a headline, not a city"
    tagged = [tag(text, "NEW", "PERSON", 0.5), tag(text, "PAULO", "ORG", 0.5), tag(text, "Boeing", "ORG", 0.9)]
    assert [(text[e.start : e.end], e.kind, e.explanation) for e in model_entities(text, tagged)] == [
        ("NEW YORK", "PLACE", "dateline: the place reported from"),
        ("SAO PAULO", "PLACE", "dateline: the place reported from"),
        ("Boeing", "ORG", "org named by the tagger"),
    ]


def test_review_cases_brands_towers_and_party_titles() -> None:
    text = "Bill Ford, chairman of Ford, said Ford would cut jobs. He met Trump Tower staff."
    tagged = [
        tag(text, "Bill Ford", "PERSON", 0.9),
        tag(text, "Ford, said", "ORG", 0.8, length=len("Ford")),
        tag(text, "Ford would", "ORG", 0.8, length=len("Ford")),  # an organisation more often than a person
        tag(text, "Trump", "PERSON", 0.4),  # "Tower" heads a place, no surname
    ]
    doc, _ = annotate(text, tagged=tagged, curated=[])
    assert [(g.term, g.kind, len(g.mentions)) for g in doc.glossary] == [
        ("Bill Ford", "PERSON", 1),
        ("Ford", "ORG", 2),
        ("Trump", "PERSON", 1),
    ]
    assert person_name("Democratic Sen. Joe Manchin") == "Joe Manchin"
    assert person_name("Republican Party Chairman Reince Priebus") == "Reince Priebus"


def test_second_audit_cases_roles_before_names_companies_and_titles() -> None:
    text = (
        "Ford Motor Co is recalling cars. Bill Ford said safety came first. Ford said it knew of 14 fires. "
        "His lawyer, Susan Clarke, said so. Fed Chair Jerome Powell spoke. The Fed held rates."
    )
    tagged = [
        tag(text, "Ford Motor Co", "ORG", 0.9),
        tag(text, "Bill Ford", "PERSON", 0.9),
        tag(text, "Ford said it", "PERSON", 0.6, length=len("Ford")),  # the company, named like its chairman
        tag(text, "His lawyer, Susan Clarke", "PERSON", 0.8),  # a role before the comma goes, not the name
        tag(text, "Fed Chair Jerome Powell", "PERSON", 0.9),
        tag(text, "Fed held", "PERSON", 0.5, length=len("Fed")),  # no first name of a titled person
    ]
    doc, _ = annotate(text, tagged=tagged, curated=[])
    assert [(g.term, len(g.mentions)) for g in doc.glossary] == [
        ("Ford Motor Co", 1),
        ("Bill Ford", 1),
        ("Ford", 1),
        ("Susan Clarke", 1),
        ("Fed Chair Jerome Powell", 1),
        ("Fed", 1),
    ]
