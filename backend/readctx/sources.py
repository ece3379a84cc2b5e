"""Who a claim rests on: classify a source phrase as named, official, anonymous, vague or media.

Shared by the rule layer and the model cascade, so a cue gets the same label whichever layer found it:
``attribution`` for an identifiable source, ``vague_source`` for an unnamed or vague one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import DEMONYM

# Phrases that mark a deliberately unnamed source, wherever they sit around the cue.
ANONYMITY_MARKERS = re.compile(
    r"\b(?:on (?:the )?condition (?:of|that (?:they|he|she) not be) (?:anonymity|named|identified)"
    r"|(?:who|because (?:they|he|she)) (?:did not|didn't|does not|doesn't) want to be (?:named|identified)"
    r"|(?:who|because (?:they|he|she) (?:was|were)) (?:asked|requested|declined|spoke on condition)"
    r"(?: not)? (?:to be |of )?(?:named|identified|anonymity)?"
    r"|not authori[sz]ed to (?:speak|discuss|comment)"
    r"|\w+ (?:familiar|with (?:direct )?knowledge) (?:with|of)\b"
    r"|(?:sources?|people|insiders?|officials?) close to\b"
    r"|\bunnamed\b|\banonymous\b|\binsiders?\b)",
    re.IGNORECASE,
)

_ANONYMOUS_NOUNS = re.compile(r"\b(?:sources?|insiders?|a person|people briefed|a source)\b", re.IGNORECASE)

# Generic groups: identifiable as a category, not as a source anyone could check.
_VAGUE_GROUPS = re.compile(
    r"^(?:(?:some|many|several|most|other|few|a few|a number of|numerous|various|local|western|"
    r"foreign|senior|top|two|three|four|five|\d+)\s+)*"
    r"(?:residents|witnesses|locals|experts|analysts|observers|critics|officials|diplomats|activists|"
    r"people|sources|insiders|villagers|eyewitnesses|commentators|economists|scientists|researchers|"
    r"doctors|medics|aid workers|rescuers|rescue workers|survivors|relatives|neighbou?rs|officers|"
    r"investigators|lawmakers|legislators|politicians|members|staff|employees|workers|protesters|"
    r"rebels|militants|fighters|delegates|voters|demonstrators|soldiers|troops|readers|users|parents|"
    r"students|teachers|farmers|families|owners|customers|patients|aides|advisers|advisors|staffers|fans|"
    r"supporters|opponents|observers|onlookers|others|reports|media reports|some|many|one official|"
    r"an official|a senior official|a spokesman|a spokeswoman|a spokesperson|a diplomat|a witness|"
    r"a resident|an analyst|an expert|a source|a person|someone)\b",
    re.IGNORECASE,
)

_MEDIA = re.compile(
    r"\b(?:Reuters|Associated Press|AP|AFP|Agence France-Presse|Bloomberg|BBC|CNN|Al Jazeera|"
    r"(?:The )?New York Times|(?:The )?Washington Post|(?:The )?Wall Street Journal|(?:The )?Guardian|"
    r"(?:The )?Financial Times|(?:The )?Times|Politico|Axios|NPR|Fox News|NBC(?: News)?|CBS(?: News)?|"
    r"ABC(?: News)?|MSNBC|CNBC|Sky News|Xinhua|TASS|Interfax|RIA Novosti|Anadolu|IRNA|Yonhap|Kyodo|"
    r"(?:state|local|official|national|foreign|western|iranian|russian|chinese|israeli|turkish|syrian) "
    r"(?:media|television|TV|news agency|broadcaster)|"
    r"(?:the )?(?:newspaper|news agency|broadcaster|daily|tabloid|magazine|outlet|website|report)s?)\b",
)
_UNNAMED_MEDIA = re.compile(
    r"^(?:the )?(?:(?:state|local|official|national|foreign|western|\w+) )?(?:media|reports?|press|"
    r"television|TV|outlets?|news agency|newspapers?)\b",
    re.IGNORECASE,
)

# Offices and institutions: identifiable without a personal name.
_OFFICES = re.compile(
    r"\b(?:ministry|ministries|department|agency|government|administration|office|police|army|"
    r"military|commission|council|committee|court|prosecutors?|spokes(?:man|woman|person)|president|"
    r"prime minister|minister|secretary|governor|mayor|chancellor|senator|ambassador|embassy|"
    r"white house|kremlin|pentagon|state department|foreign office|cabinet|parliament|congress|senate|"
    r"authorities|authority|regulator|bank|company|firm|union|party|campaign|coalition|forces?|"
    r"command|headquarters|u\.?n\.?|united nations|nato|who|imf|eu|european union|board|"
    r"organi[sz]ation|institute|university|hospital|service|guard|directorate|bureau|council|nominee|"
    r"candidate|chair(?:man|woman)?|director|chief|commander|leader|head)\b",
    re.IGNORECASE,
)

# A role, then a person's name after a comma: "the regional governor, Oleksandr Petrenko".
_ROLE_THEN_NAME = re.compile(r"[^,]+,\s+(?:[A-Z][\w.'’-]*\s+){1,4}[A-Z][\w'’-]*")
# Offices held by one person, whom "he" or "she" can refer back to: "the governor ... He said".
_PERSON_ROLE = re.compile(
    r"\b(?:spokes(?:man|woman|person)|president|prime minister|minister|secretary|governor|mayor|chancellor|"
    r"senator|ambassador|nominee|candidate|chair(?:man|woman)?|director|chief|commander|leader|head|"
    r"prosecutor|judge|general|envoy|lawyer|attorney)$",
    re.IGNORECASE,
)
# A quantifier makes any group vague: "some Democrats", "many Jordanians", "several of his aides".
_QUANTIFIER_START = re.compile(
    r"^(?:some|many|several|most|few|a few|other|others|numerous|various|a number of|a handful of|dozens of)\b",
    re.IGNORECASE,
)
# An unnamed individual of a named body is still unnamed: "a NATO official", "a senior administration official".
_UNNAMED_PERSON = re.compile(
    r"^(?:a|an|one|two|three|four|five|\d+)\s(?:[\w.'’-]+\s){0,5}?"
    r"(?:official|diplomat|aide|adviser|advisor|staffer|officer|commander|negotiator|insider|investigator|"
    r"strategist|operative|source)s?$",
    re.IGNORECASE,
)
_UNNAMED_SPOKESPERSON = re.compile(r"^(?:a|an)\s(?:[\w.'’-]+\s){1,5}?spokes(?:man|woman|person)$", re.IGNORECASE)
# Where a group's description ends and what it belongs to begins: "residents | of Aleppo".
_PHRASE_BREAK = frozenset(["of", "in", "at", "from", "for", "with", "near", "across", "on", "who", "which", "that"])

_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this", "these", "those"])
_CAPITALISED_WORD = re.compile(r"\b[A-Z][\w'’.-]*[a-z][\w'’.-]*\b")
_DETERMINER_START = re.compile(r"^(?:the|a|an|one|two|three|some|many|several)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SourceVerdict:
    label: str  # "attribution" | "vague_source"
    kind: str | None  # named | official | anonymous | vague | media | None (unresolved pronoun)
    reason: str


def classify_source(phrase: str, sentence: str = "") -> SourceVerdict:
    """Decide how identifiable the source ``phrase`` is; ``sentence`` supplies anonymity context."""
    words = phrase.strip(" ,\"'“”‘’").split()
    lowered = " ".join(words).lower()
    if not words:
        return SourceVerdict("vague_source", "vague", "no source given")
    if ANONYMITY_MARKERS.search(phrase) or (sentence and ANONYMITY_MARKERS.search(sentence)):
        return SourceVerdict("vague_source", "anonymous", f"source not named: '{_short(phrase)}'")
    if _ANONYMOUS_NOUNS.search(phrase) and not _has_name(words[1:] if len(words) > 1 else []):
        return SourceVerdict("vague_source", "anonymous", f"unnamed source: '{_short(phrase)}'")
    if lowered in _PRONOUNS:
        return SourceVerdict("attribution", None, f"pronoun '{phrase}' refers to an earlier source")
    if _UNNAMED_MEDIA.match(lowered) and not _has_name(words):
        return SourceVerdict("vague_source", "media", f"unnamed media: '{_short(phrase)}'")
    if _MEDIA.search(phrase) and _has_name(words):
        return SourceVerdict("attribution", "media", f"news outlet: '{_short(phrase)}'")
    head = _head_words(words)
    head_phrase = " ".join(head)
    # A headline in capitals ("OZ'S BOSS THINKS") is shouting, not a row of acronyms.
    shouting = bool(sentence) and sentence.upper() == sentence
    named_inside = _names_after_including(words, shouting)
    if _QUANTIFIER_START.match(lowered) and not named_inside:
        return SourceVerdict("vague_source", "vague", f"vague source: '{_short(phrase)}'")
    if _UNNAMED_SPOKESPERSON.match(head_phrase):
        # "A U.S. State Department spokesperson": the office speaks, unnamed.
        return SourceVerdict("attribution", "official", f"an office's spokesperson: '{_short(phrase)}'")
    if _UNNAMED_PERSON.match(head_phrase):
        return SourceVerdict("vague_source", "anonymous", f"unnamed source: '{_short(phrase)}'")
    if _VAGUE_GROUPS.match(lowered) and not _has_name(head[1:]):
        # "a spokesman for the ministry" names the institution: identifiable.
        if (
            _OFFICES.search(lowered)
            and _DETERMINER_START.match(lowered)
            and not lowered.startswith(("some", "many", "several"))
            and re.search(r"\b(?:for|of|at|from)\b", lowered)
        ):
            return SourceVerdict("attribution", "official", f"office: '{_short(phrase)}'")
        return SourceVerdict("vague_source", "vague", f"vague source: '{_short(phrase)}'")
    if len(words) == 1 and _OFFICES.fullmatch(lowered):
        return SourceVerdict("attribution", "official", f"official source: '{_short(phrase)}'")
    possessive_name = words[0].endswith(("'s", "’s")) and _has_name(words[:1], shouting)
    if possessive_name and _OFFICES.search(lowered) and not _GROUP_HEAD.search(head_phrase):
        # "Russia's defence ministry", "Nigeria's electoral commission": a named country's institution.
        return SourceVerdict("attribution", "official", f"official source: '{_short(phrase)}'")
    if _GROUP_HEAD.search(head_phrase) and not named_inside:
        # "Hillary Clinton's aides", "White House officials": unnamed people of a named body.
        return SourceVerdict("vague_source", "vague", f"unnamed members of a group: '{_short(phrase)}'")
    if len(words) > 1 and _has_name(words[:1], shouting) and not _has_name(words[1:], shouting) and words[0][-1] != ",":
        # "Health researchers", "Farmers' groups": only the sentence's first capital, no name ("Schiff, 56, who
        # is a lawyer" is one: a comma after it opens an apposition).
        return SourceVerdict("vague_source", "vague", f"unidentified source: '{_short(phrase)}'")
    if _ROLE_THEN_NAME.match(phrase.strip()) and not _OFFICES.search(phrase.rsplit(",", 1)[1]):
        # "The Chancellor, Rachel Reeves": the office is held by a named person.
        return SourceVerdict("attribution", "named", f"named source: '{_short(phrase)}'")
    if lowered.startswith("the ") and _OFFICES.search(lowered):
        # "the White House", "the Interior Ministry": capitalised, but an institution, not a person.
        return SourceVerdict("attribution", "official", f"official source: '{_short(phrase)}'")
    if _has_name(words, shouting):
        if not _has_name([w for w in words if not _ACRONYM.fullmatch(w.strip(",.;:'\"“”‘’()"))], shouting):
            # "The FBI", "a UN spokesman": an institution by its initials, not a person's name.
            return SourceVerdict("attribution", "official", f"official source: '{_short(phrase)}'")
        return SourceVerdict("attribution", "named", f"named source: '{_short(phrase)}'")
    if _OFFICES.search(lowered):
        return SourceVerdict("attribution", "official", f"official source: '{_short(phrase)}'")
    return SourceVerdict("vague_source", "vague", f"unidentified source: '{_short(phrase)}'")


_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "one",
        "two",
        "three",
        "some",
        "many",
        "several",
        "other",
        "others",
        "neither",
        "both",
        "all",
        "each",
        "most",
        "few",
    ]
)
# Initials that name a role or a medium, not an organisation: "the CEO", "an MP", "state TV".
_ROLE_ACRONYMS = frozenset(["CEO", "CFO", "COO", "MP", "MPs", "TV", "GOP", "PM", "PR", "VP", "AM", "FM"])
# "FBI", "U.N.", "G7", "AT&T", "AFL-CIO": an organisation named by its initials.
_ACRONYM = re.compile(r"(?:[A-Z][A-Z0-9&]{1,5}(?:-[A-Z0-9]{1,5})?|(?:[A-Z]\.){2,4})")


def is_vague_group(phrase: str) -> bool:
    """ "Officials", "some analysts", "residents": a category of people, not anyone's name."""
    found = _VAGUE_GROUPS.match(phrase.strip().lower())
    return found is not None and found.end() == len(phrase.strip())


# Plural people nouns that head an unnamed group even after a name: "Clinton's aides", "Pentagon officials".
_GROUP_HEAD = re.compile(
    r"\b(?:aides|advisers|advisors|officials|staffers|supporters|allies|loyalists|diplomats|sources|insiders)$",
    re.IGNORECASE,
)


def is_person_role(phrase: str) -> bool:
    """Whether an official source is one person ("the regional governor", "the head of the agency")."""
    head = " ".join(_head_words(phrase.split())).strip(",.;:'\"“”‘’()")
    return _PERSON_ROLE.search(head) is not None and not head.lower().endswith("s general")  # "attorneys general"


def _names_after_including(words: list[str], shouting: bool = False) -> bool:
    """ "Other unions, including the AFL-CIO": a vague group with named members is named."""
    lowered = [w.lower().strip(",") for w in words]
    return "including" in lowered and _has_name(words[lowered.index("including") + 1 :], shouting)


def _head_words(words: list[str]) -> list[str]:
    """The words before the first preposition or relative pronoun: "residents" of "residents of Aleppo"."""
    for index, word in enumerate(words):
        if index and word.lower() in _PHRASE_BREAK:
            return words[:index]
    return words


def _has_name(words: list[str], shouting: bool = False) -> bool:
    """A capitalised word or an acronym ("FBI", "U.N."; not in a headline in capitals) that is not
    sentence-initial decoration ("The", "One") or a nationality adjective ("Iranian officials"; but
    "Palmieri", "Mr. Deese" and "Syrskyi, the commander" are names)."""
    for index, word in enumerate(words):
        bare = word.strip(",.;:'\"“”‘’()")
        if _ACRONYM.fullmatch(bare) and not shouting and bare not in _ROLE_ACRONYMS:
            return True
        if not _CAPITALISED_WORD.fullmatch(bare) or bare.lower() in _NOT_NAMES:
            continue
        next_word = words[index + 1] if index + 1 < len(words) and not word.endswith(",") else ""
        if DEMONYM.fullmatch(bare) and next_word[:1].islower():
            continue
        return True
    return False


def _short(phrase: str, limit: int = 60) -> str:
    phrase = " ".join(phrase.split())
    return phrase if len(phrase) <= limit else phrase[: limit - 1] + "…"
