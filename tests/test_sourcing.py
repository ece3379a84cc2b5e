from __future__ import annotations

from readctx.sources import SourceVerdict, classify_source
from readctx.sourcing import SourcingAnnotator
from readctx.text import prepare
from readctx.types import Annotation, Doc, InputDocument, TaggedSpan


def make_doc(text: str) -> Doc:
    return prepare(InputDocument(text=text), default_id="t", max_text_chars=10**6)


def parts(annotation: Annotation) -> tuple[str, str, str | None, str | None, str | None]:
    source = annotation.source.exact if annotation.source else None
    content = annotation.content.exact if annotation.content else None
    return annotation.label, annotation.exact, source, content, annotation.source_kind


def rules(text: str) -> list[tuple[str, str, str | None, str | None, str | None]]:
    doc = make_doc(text)
    annotations = SourcingAnnotator()(doc)
    for a in annotations:
        assert doc.text[a.start : a.end] == a.exact
        for span in (a.source, a.content):
            assert span is None or doc.text[span.start : span.end] == span.exact
    return [parts(a) for a in annotations]


def test_named_and_official_attribution() -> None:
    assert rules("The governor added that the roads would reopen on Monday.") == [
        ("attribution", "added", "The governor", "the roads would reopen on Monday", "official")
    ]
    assert rules("John Smith, a spokesman for the ministry, said on Tuesday that the border was closed.") == [
        ("attribution", "said", "John Smith, a spokesman for the ministry", "the border was closed", "named")
    ]


def test_a_title_between_commas_stays_with_its_name() -> None:
    assert rules("Sergei Lavrov, Russia's foreign minister, said Moscow was open to talks.") == [
        ("attribution", "said", "Sergei Lavrov, Russia's foreign minister", "Moscow was open to talks", "named")
    ]
    assert rules("In a statement, Lavrov, Russia's top diplomat, said the talks failed.") == [
        ("attribution", "said", "Lavrov, Russia's top diplomat", "the talks failed", "named")
    ]
    # A clause between commas is the claim, and the source follows the cue.
    assert rules("At the Millbrook Clinic, two of the five nurses left, said clinic manager Rosa Linden.") == [
        (
            "attribution",
            "said",
            "clinic manager Rosa Linden",
            "At the Millbrook Clinic, two of the five nurses left",
            "named",
        )
    ]
    # What follows the cue is a clause, not an inverted source: no rule quote rather than a swapped one.
    assert rules("After the vote, Moscow said talks were over.") == [
        ("attribution", "said", "Moscow", "talks were over", "named")
    ]


def test_a_source_citing_others_keeps_the_citation() -> None:
    text = "An earlier version of this story, citing unnamed officials, said the decision would come in January."
    assert rules(text) == [
        (
            "vague_source",
            "said",
            "An earlier version of this story, citing unnamed officials",
            "the decision would come in January",
            "anonymous",
        )
    ]


def test_words_between_source_and_cue_are_not_the_source() -> None:
    assert rules("Cruz has long said the deal was a mistake. Clinton now says she regrets it.") == [
        ("attribution", "said", "Cruz", "the deal was a mistake", "named"),
        ("attribution", "says", "Clinton", "she regrets it", "named"),
    ]


def test_according_to_either_side() -> None:
    expected = ("attribution", "according to", "the interior ministry", "14 people were killed", "official")
    assert rules("14 people were killed, according to the interior ministry.") == [expected]
    assert rules("According to the interior ministry, 14 people were killed.") == [
        ("attribution", "According to", "the interior ministry", "14 people were killed", "official")
    ]
    # No claim on either side: no content, and the annotation survives the pipeline's offset check.
    assert rules("Pretty much the same, right?\nAccording to MSNBC, basically.") == [
        ("attribution", "According to", "MSNBC", None, "media")
    ]


def test_quote_first_and_inverted() -> None:
    assert rules('"We will rebuild," the governor said.') == [
        ("attribution", "said", "the governor", "We will rebuild", "official")
    ]
    assert rules('"We will rebuild," said Jane Doe, the governor of the province.') == [
        ("attribution", "said", "Jane Doe, the governor of the province", "We will rebuild", "named")
    ]


def test_a_quotation_credited_by_a_dash_and_a_name_at_the_line_end() -> None:
    # Reader round-ups and epigraphs: the dash is the cue, with or without spaces around it.
    assert rules("“He represents our greatest shame.” ― Sonya Herridge\n“Trump must stop.”—Karen Bobadilla, 34") == [
        ("attribution", "―", "Sonya Herridge", "He represents our greatest shame", "named"),
        ("attribution", "—", "Karen Bobadilla, 34", "Trump must stop", "named"),
    ]
    # No quotation before the dash (a dateline), a lower-case phrase, or more text on the line: no credit.
    assert rules("KYIV — Sonya Herridge\n“We will rebuild” — the governor\n“Enough” — Sonya Herridge in 2019") == []


def test_speaker_labels_in_a_transcript_are_attributions() -> None:
    transcript = '"WALLACE: Let us start.\n"PENCE: Flowers will not attend.\nWALLACE: Why?\nPENCE: Look, no.'
    assert rules(transcript) == [
        ("attribution", ":", "WALLACE", "Let us start", "named"),
        ("attribution", ":", "PENCE", "Flowers will not attend", "named"),
        ("attribution", ":", "WALLACE", "Why?", "named"),
        ("attribution", ":", "PENCE", "Look, no", "named"),
    ]
    # A voice with no name is no named source, however capitalised.
    transcript = "TRUMP: We will win.\nUNIDENTIFIED MALE: No!\nTRUMP: Yes.\nUNIDENTIFIED MALE: Never.\nAUDIENCE: Boo."
    assert rules(transcript) == [
        ("attribution", ":", "TRUMP", "We will win", "named"),
        ("vague_source", ":", "UNIDENTIFIED MALE", "No!", "anonymous"),
        ("attribution", ":", "TRUMP", "Yes", "named"),
        ("vague_source", ":", "UNIDENTIFIED MALE", "Never", "anonymous"),
        ("vague_source", ":", "AUDIENCE", "Boo", "vague"),
    ]
    # Not a transcript: headline labels, or one speaker alone.
    assert rules("EXCLUSIVE: Talks collapse.\nUPDATE: Talks resume.\nUPDATE: Talks end.") == []
    assert rules("PENCE: No.\nPENCE: Never.\nCRUZ: Yes.") == []


def test_vague_and_anonymous_sources() -> None:
    assert rules("Two senior officials, who asked not to be named, said the talks would resume next week.") == [
        (
            "vague_source",
            "said",
            "Two senior officials, who asked not to be named",
            "the talks would resume next week",
            "anonymous",
        )
    ]
    assert rules("A source close to the negotiations told Reuters that a deal was near.") == [
        ("vague_source", "told", "A source close to the negotiations", "a deal was near", "anonymous")
    ]
    assert rules("Residents said the shelling continued overnight.") == [
        ("vague_source", "said", "Residents", "the shelling continued overnight", "vague")
    ]
    assert rules("People familiar with the matter said the company would sell the unit.")[0][4] == "anonymous"


def test_hedges_and_unverified_claims() -> None:
    text = "The video could not be independently verified. It is unclear whether the strike hit the depot."
    assert [(label, exact) for label, exact, *_ in rules(text)] == [
        ("hedge", "could not be independently verified"),
        ("hedge", "It is unclear whether"),
    ]
    found = rules("The man allegedly fired at police, state media reported.")
    assert ("hedge", "allegedly", None, "The man allegedly fired at police, state media reported.", None) in found
    assert ("vague_source", "reported", "state media", "The man allegedly fired at police", "media") in found


def test_pronoun_takes_the_earlier_source() -> None:
    doc = make_doc("Prime Minister Jane Doe spoke in Paris. Doe said the deal was close. He said it was final.")
    annotations = SourcingAnnotator()(doc)
    assert [(a.exact, a.source.exact if a.source else None, a.source_kind) for a in annotations] == [
        ("said", "Doe", "named"),
        ("said", "He", "named"),
    ]
    assert annotations[1].explanation == "'He' most likely refers to 'Doe', named just before"
    # "he" or "she" can be an office held by one person, not an institution; "it" can be either.
    assert rules("The governor said roads would reopen. She said schools would too.")[1][4] == "official"
    assert rules("The interior ministry said roads would reopen. She said schools would too.")[1][4] is None
    assert rules("The interior ministry said roads would reopen. It said schools would too.")[1][4] == "official"


def test_body_text_without_cues_is_left_alone() -> None:
    assert rules("The shelling continued overnight and the roads were closed.") == []


def test_classify_source() -> None:
    assert classify_source("Reuters").kind == "media"
    assert classify_source("local media").label == "vague_source"
    assert classify_source("the White House").kind == "official"
    assert classify_source("analysts").label == "vague_source"
    assert classify_source("a spokesman for the interior ministry").kind == "official"
    # Surnames shaped like nationality adjectives, titles and acronyms are names.
    for named in ("Palmieri", "Mr. Deese", "Erdogan", "The FBI", "CNS", "the IDF"):
        assert classify_source(named).label == "attribution", named
    assert classify_source("Israeli officials").label == "vague_source"
    # Unnamed people of a named body, and quantified groups, are not identifiable sources.
    for unnamed in ("A NATO official", "a senior administration official", "A Homeland Security Department official"):
        assert classify_source(unnamed) == SourceVerdict("vague_source", "anonymous", f"unnamed source: '{unnamed}'")
    for vague in ("some Democrats", "Residents of Aleppo", "Rebels in eastern Ukraine", "officials at the Pentagon"):
        assert classify_source(vague).label == "vague_source", vague


TEXT = "Officials said the bridge was closed. The rebels reportedly withdrew. Smith hopes to win."


def tagged(text: str, *spans: tuple[str, str, str, float]) -> list[TaggedSpan]:
    out = []
    for task, label, exact, confidence in spans:
        start = text.index(exact)
        out.append(TaggedSpan(task, label, start, start + len(exact), confidence))
    return out


def cascade(text: str, *spans: tuple[str, str, str, float]) -> list[Annotation]:
    """The sourcing annotator over ``text``, as if the tagger had found ``spans`` (task, label, exact, p)."""
    doc = make_doc(text)
    doc.tagged = tagged(text, *spans)
    return SourcingAnnotator()(doc)


def test_cascade_merges_rule_and_model_cues() -> None:
    annotations = cascade(
        TEXT,
        ("attribution", "cue", "said", 0.8),
        ("attribution", "source", "Officials", 0.9),
        ("content", "content", "the bridge was closed", 0.7),
        ("hedge", "hedge", "reportedly", 0.6),
        ("attribution", "cue", "hopes", 0.7),
        ("attribution", "source", "Smith", 0.9),
    )
    assert [(a.label, a.exact, a.annotator, a.confidence) for a in annotations] == [
        # both layers: 1 - (1 - 0.9) * (1 - 0.8)
        ("vague_source", "said", "rules+model", 0.98),
        # both layers: 1 - (1 - 0.95) * (1 - 0.6)
        ("hedge", "reportedly", "rules+model", 0.98),
        # model only: the cue's confidence, capped by the mean with its source's
        ("attribution", "hopes", "model", 0.7),
    ]
    assert annotations[2].source is not None and annotations[2].source.exact == "Smith"
    assert annotations[2].source_kind == "named"


def test_cascade_drops_rule_attributions_the_model_missed_and_weak_model_cues() -> None:
    annotations = cascade(TEXT, ("attribution", "cue", "withdrew", 0.4), ("attribution", "cue", "hopes", 0.7))
    assert [(a.exact, a.annotator, a.confidence, a.explanation) for a in annotations] == [
        # "said": the model ran and did not see it, so the rule's attribution goes; a rule's hedge stays, lowered
        ("reportedly", "rules", 0.855, "second-hand claim: the writer does not vouch for it"),
        # "withdrew" (0.4) is below the floor; "hopes" has no source in its sentence: 0.7 x 0.8
        ("hopes", "model", 0.56, "reporting cue; its source is not in this sentence (model)"),
    ]
    assert cascade(TEXT, ("attribution", "cue", "hopes", 0.45)) == cascade(TEXT)


def test_a_sourceless_model_cue_on_a_hedge_leaves_the_hedge_alone() -> None:
    # PolNeAR tags "reportedly" as a cue; with no source it would be a second highlight on the hedge's word.
    annotations = cascade(TEXT, ("attribution", "cue", "reportedly", 0.9), ("hedge", "hedge", "reportedly", 0.6))
    assert [(a.label, a.exact, a.annotator) for a in annotations] == [("hedge", "reportedly", "rules+model")]
    # With a source it is an attribution of its own and stays beside the hedge.
    text = "Smith claimed the rebels withdrew."
    annotations = cascade(
        text,
        ("attribution", "cue", "claimed", 0.9),
        ("attribution", "source", "Smith", 0.9),
        ("hedge", "hedge", "claimed", 0.8),
    )
    assert [(a.label, a.exact) for a in annotations] == [("attribution", "claimed"), ("hedge", "claimed")]


def test_rule_forms_the_model_is_blind_to_stay_when_it_missed_them() -> None:
    text = "Officials said the bridge was closed.\n“He represents our greatest shame.” ― Sonya Herridge\n"
    text += "WALLACE: Let us start.\nPENCE: No.\nWALLACE: Why?\nPENCE: Look."
    # The model ran and saw nothing: "said" goes, the dash credit and the transcript's four turns stay.
    annotations = cascade(text)
    assert [(a.exact, a.annotator, a.confidence) for a in annotations] == [
        ("―", "rules", 0.9),  # the rule's own confidence: the model is known to miss these forms
        (":", "rules", 0.9),
        (":", "rules", 0.9),
        (":", "rules", 0.9),
        (":", "rules", 0.9),
    ]
    assert [a.source.exact for a in annotations if a.source] == [
        "Sonya Herridge",
        "WALLACE",
        "PENCE",
        "WALLACE",
        "PENCE",
    ]


def test_a_wire_dateline_is_not_part_of_the_claim() -> None:
    text = "VIENNA (Reuters) - Talks will resume next week, two senior diplomats said on Tuesday."
    assert rules(text) == [("vague_source", "said", "two senior diplomats", "Talks will resume next week", "anonymous")]


def test_a_parenthesis_stays_inside_the_source() -> None:
    assert rules("The IAEA (International Atomic Energy Agency) said inspectors had left.") == [
        ("attribution", "said", "The IAEA (International Atomic Energy Agency)", "inspectors had left", "official")
    ]


def test_bare_modals_from_the_model_are_not_highlighted() -> None:
    text = "The plant would close. Workers stay until paid. The rebels are believed to have left."
    annotations = cascade(
        text, ("hedge", "hedge", "would", 0.9), ("hedge", "hedge", "until", 0.9), ("hedge", "hedge", "believed to", 0.8)
    )
    assert [(a.exact, a.annotator) for a in annotations] == [("are believed to", "rules+model")]


def test_a_model_cue_inside_an_anonymity_phrase_is_not_a_cue() -> None:
    text = "Officials, who asked not to be named, said the talks had collapsed."
    annotations = cascade(
        text,
        ("attribution", "cue", "asked", 0.9),
        ("attribution", "source", "Officials", 0.9),
        ("attribution", "cue", "said", 0.9),
    )
    assert [(a.exact, a.annotator) for a in annotations] == [("said", "rules+model")]


def test_content_starts_after_the_audience_and_place() -> None:
    assert rules("A ministry spokesman said the list was incomplete.") == [
        ("attribution", "said", "A ministry spokesman", "the list was incomplete", "official")
    ]
    assert rules("The minister told reporters in Geneva that talks would resume.") == [
        ("attribution", "told", "The minister", "talks would resume", "official")
    ]
    # Who was told is neither the source nor the claim, and never an inverted source.
    assert rules("Atiku Abubakar will not challenge the result, his spokesman, Paul Ibe, told the BBC.") == [
        ("attribution", "told", "his spokesman, Paul Ibe", "Atiku Abubakar will not challenge the result", "named")
    ]
    assert rules("The result stands, his spokesman told the BBC on Sunday.") == [
        ("attribution", "told", "his spokesman", "The result stands", "official")
    ]
    text = "The governor told reporters the roads would reopen. He told The New York Times that he would run."
    assert rules(text) == [
        ("attribution", "told", "The governor", "the roads would reopen", "official"),
        ("attribution", "told", "He", "he would run", "official"),
    ]
    assert rules("She told him to leave.") == []  # an order, not a statement
    # Where who was told ends is unclear: the words before the source are no claim either.
    assert rules("In offering analysis, pollster Pat Caddell told Fox host Alex Marlow how surprised he is.") == [
        ("attribution", "told", "pollster Pat Caddell", None, "named")
    ]
    assert rules('Heading into the debate, Sanders told MSNBC\'s "Morning Joe" that nobody would doubt her.') == [
        ("attribution", "told", "Sanders", "nobody would doubt her", "named")
    ]
    assert rules("He told an invited crowd at the club that he wants peace. He told the paper he was sure.") == [
        ("attribution", "told", "He", "he wants peace", None),
        ("attribution", "told", "He", None, None),  # no telling where who was told ends
    ]
    assert rules("''I have never been edited,'' Mr. King, 82, told me. Schiff, 56, who is a lawyer, told me.") == [
        ("attribution", "told", "Mr. King, 82", "I have never been edited", "named"),
        ("attribution", "told", "Schiff, 56, who is a lawyer", None, "named"),
    ]


def test_model_spans_are_trimmed_like_rule_spans() -> None:
    # "quipped" is no rule cue, so the spans are the model's alone.
    text = 'The state\'s campaign chairman, Phil Lovas, quipped "he has not seen it."'
    (annotation,) = cascade(
        text,
        ("attribution", "cue", "quipped", 0.9),
        ("attribution", "source", "The state's campaign chairman, Phil Lovas,", 0.9),
        ("content", "content", '"he has not seen it."', 0.9),
    )
    assert annotation.source is not None and annotation.source.exact == "The state's campaign chairman, Phil Lovas"
    assert annotation.content is not None and annotation.content.exact == "he has not seen it"
    assert (annotation.label, annotation.annotator, annotation.source_kind) == ("attribution", "model", "named")


def test_accusations_and_poll_terms_are_not_hedges() -> None:
    text = "Rivals accused the mayor of fraud. Most likely voters backed her. She is likely to win."
    (annotation,) = cascade(text, ("hedge", "hedge", "accused", 0.8))
    assert (annotation.label, annotation.exact, annotation.start) == ("hedge", "likely", text.index("likely to"))


def test_an_infinitive_say_reports_nothing() -> None:
    assert rules("It is fair to say the deal is dead. The minister declined to say whether talks would resume.") == []


def test_sources_named_inside_groups_possessive_institutions_and_headlines() -> None:
    assert classify_source("Other major unions, including the AFL-CIO").label == "attribution"
    assert classify_source("Russia's defence ministry") == SourceVerdict(
        "attribution", "official", "official source: 'Russia's defence ministry'"
    )
    assert classify_source("Oleksandr Syrskyi, the commander-in-chief").kind == "named"
    assert classify_source("Hillary Clinton's aides").label == "vague_source"
    assert classify_source("OZ'S BOSS", "OZ'S BOSS THINKS").label == "vague_source"  # a headline, no acronym


def test_a_parenthetical_cue_takes_the_claim_before_it_and_quotes_stay_whole() -> None:
    assert rules("Turnout was about 67 percent, the interior ministry said, the highest since 1981.") == [
        ("attribution", "said", "the interior ministry", "Turnout was about 67 percent", "official")
    ]
    assert rules('The minister said the figures were "a pleasant surprise".') == [
        ("attribution", "said", "The minister", 'the figures were "a pleasant surprise"', "official")
    ]
    assert rules('Trump said it was a “Putin-RibbenTRUMP Pact.” He said "no" twice.') == [
        ("attribution", "said", "Trump", "it was a “Putin-RibbenTRUMP Pact.”", "named"),
        ("attribution", "said", "He", '"no" twice', "named"),  # the pronoun takes Trump's kind
    ]
    assert rules("''We will pay for your kid,'' Mr. McKinley said.") == [
        ("attribution", "said", "Mr. McKinley", "We will pay for your kid", "named")
    ]


def test_an_impersonal_passive_names_no_source() -> None:
    text = "It is said that the talks failed."
    (annotation,) = cascade(
        text,
        ("attribution", "source", "It", 0.8),
        ("attribution", "cue", "said", 0.9),
        ("content", "content", "the talks failed", 0.9),
    )
    # Both layers found it: the rule's cue, and the model's "It" is no source.
    assert (annotation.label, annotation.exact, annotation.source, annotation.source_kind, annotation.annotator) == (
        "vague_source",
        "It is said",
        None,
        "vague",
        "rules+model",
    )
    assert annotation.content is not None and annotation.content.exact == "the talks failed"


def test_the_rules_find_impersonal_passives_without_the_model() -> None:
    assert rules("It was reported that the convoy had been hit near the border.") == [
        ("vague_source", "It was reported", None, "the convoy had been hit near the border", "vague")
    ]
    # An adverb between the passive and the verb is no source ("been widely" was one).
    assert rules("Police said it has been widely claimed that the vote was rigged.") == [
        ("attribution", "said", "Police", "it has been widely claimed that the vote was rigged", "official"),
        ("vague_source", "it has been widely claimed", None, "the vote was rigged", "vague"),
        ("hedge", "claimed that", None, "Police said it has been widely claimed that the vote was rigged.", None),
    ]
    # "is said to" is a hedge, not an impersonal report.
    assert rules("It is said to be the largest camp.") == [
        ("hedge", "is said to", None, "It is said to be the largest camp.", None)
    ]


def test_review_cases_adjectives_compounds_surnames_and_governed_infinitives() -> None:
    assert rules('"It is over," said the embattled mayor.') == [
        ("attribution", "said", "the embattled mayor", "It is over", "official")
    ]
    assert rules('"We struck," said the Saudi-led coalition.') == [
        ("attribution", "said", "the Saudi-led coalition", "We struck", "official")
    ]
    assert rules("Rep. Billy Long said the bill was dead.") == [
        ("attribution", "said", "Rep. Billy Long", "the bill was dead", "named")
    ]
    assert rules("The senator went on to say the vote was rigged.") == [
        ("attribution", "say", "The senator", "the vote was rigged", "official")
    ]
    assert classify_source("a UN spokesman").kind == "official"  # initials name a body, not a person
    assert classify_source("a GOP strategist").label == "vague_source"
    assert classify_source("state TV").label == "vague_source"


def test_audit_cases_roles_before_names_settings_and_unnamed_insiders() -> None:
    assert rules("Kessler's lawyer, Marc Mukasey, told the court that his client had cooperated.") == [
        ("attribution", "told", "Kessler's lawyer, Marc Mukasey", "his client had cooperated", "named")
    ]
    assert rules("The army's spokesman, Brig. Gen. Nabil Abdallah, said troops would withdraw.") == [
        ("attribution", "said", "The army's spokesman, Brig. Gen. Nabil Abdallah", "troops would withdraw", "named")
    ]
    # The office is held by a named person, whom "She" then refers to.
    assert rules("The Chancellor, Rachel Reeves, told MPs that bills would fall. She said more would qualify.") == [
        ("attribution", "told", "The Chancellor, Rachel Reeves", "bills would fall", "named"),
        ("attribution", "said", "She", "more would qualify", "named"),
    ]
    assert rules("It was claimed in court filings that the company knew.") == [
        ("vague_source", "It was claimed", None, "the company knew", "vague")
    ]
    # An aside after the cue's setting is not the claim.
    assert rules("Floods killed 28 people in the north, officials said on Thursday, with dozens missing.") == [
        ("vague_source", "said", "officials", "Floods killed 28 people in the north", "vague")
    ]
    # A name between commas inside the claim is no source when the source follows the cue.
    assert rules("Missiles hit the capital, Kyiv, said the mayor. The blast killed 12 people, 45, said police.") == [
        ("attribution", "said", "the mayor", "Missiles hit the capital, Kyiv", "official"),
        ("attribution", "said", "police", "The blast killed 12 people, 45", "official"),
    ]
    # A relative "that" ends no addressee; "never said" reports nothing said.
    assert rules("Jones told the crowd a secret that moved them. Trump never said that he would pay.") == [
        ("attribution", "told", "Jones", None, "named")
    ]
    assert classify_source("A Downing Street source").kind == "anonymous"
    assert classify_source("A U.S. State Department spokesperson").kind == "official"
    assert classify_source("Ukraine's air force").kind == "official"


def test_a_model_cue_for_declining_to_comment_is_no_statement() -> None:
    text = "A spokeswoman for the company declined to comment."
    assert cascade(text, ("attribution", "cue", "declined", 0.9), ("attribution", "source", "A spokeswoman", 0.9)) == []


def test_an_impersonal_claim_never_borrows_a_source_and_ends_before_one() -> None:
    text = "It was reported that the convoy was hit, Smith said."
    annotations = cascade(
        text,
        ("attribution", "cue", "reported", 0.9),
        ("attribution", "source", "Smith", 0.9),
        ("attribution", "cue", "said", 0.9),
        ("content", "content", "the convoy was hit", 0.9),
    )
    assert [parts(a) for a in annotations] == [
        ("vague_source", "It was reported", None, "the convoy was hit", "vague"),
        ("attribution", "said", "Smith", "It was reported that the convoy was hit", "named"),
    ]


def test_second_audit_cases_datelines_quotations_orders_and_stories() -> None:
    assert rules("NAIROBI, Kenya (AP) — Kenyan police arrested 40 people, officials said.") == [
        ("vague_source", "said", "officials", "Kenyan police arrested 40 people", "vague")
    ]
    assert rules("US - China talks resumed, officials said.")[0][3] == "US - China talks resumed"  # no dateline
    # A reporting verb inside a quotation is the speaker's own words.
    assert rules('"I believed every word I told them," Price told the jury.') == [
        ("attribution", "told", "Price", "I believed every word I told them", "named")
    ]
    assert rules('"The FBI concluded there was no basis," Cummings said.') == [
        ("attribution", "concluded", "FBI", "there was no basis", "official"),
        ("attribution", "said", "Cummings", "The FBI concluded there was no basis", "named"),
    ]
    assert rules("One resident, who did not want to be named, said the village would go.") == [
        ("vague_source", "said", "One resident, who did not want to be named", "the village would go", "anonymous")
    ]
    # Neither an order nor a story is a statement, whichever layer found the cue.
    for text, cue in (
        ("Judge Ortiz told him to sit down after he interrupted.", "told"),
        ("The mayor told a story.", "told"),
    ):
        assert rules(text) == []
        assert (
            cascade(text, ("attribution", "cue", cue, 0.9), ("attribution", "source", text.split(" told")[0], 0.9))
            == []
        )


def test_model_spans_stay_in_the_cue_sentence() -> None:
    text = "Fed Signals Fewer Rate Cuts\n\nNEW YORK (AP) — Wall Street fell."
    (annotation,) = cascade(
        text,
        ("attribution", "cue", "Signals", 0.9),
        ("attribution", "source", "Fed", 0.9),
        ("content", "content", "Fewer Rate Cuts\n\nNEW YORK", 0.9),
    )
    assert annotation.content is not None and annotation.content.exact == "Fewer Rate Cuts"


def test_an_impersonal_claim_ends_at_a_concession_and_plural_offices_are_no_person() -> None:
    text = "It was claimed that he bought a house, although the defense disputed that account."
    assert rules(text)[0] == ("vague_source", "It was claimed", None, "he bought a house", "vague")
    assert rules("The attorneys general said the law was void. He said more.")[1][4] is None
