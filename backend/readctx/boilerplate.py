"""Publisher template text: donation appeals, newsletter sign-ups, opinion disclaimers and editor's notes.

Each pattern names what it finds and how often, as a share, that match is template text rather than the story;
``readctx.syndication`` labels what they match ``boilerplate``.
"""

from __future__ import annotations

import re

BOILERPLATE = (
    (
        "donation appeal",
        0.85,
        re.compile(
            r"(?i)\b(?:support[ \t]+(?:our|independent|local|nonprofit|this)[ \t]+"
            r"(?:journalism|reporting|newsroom|work)|donate[ \t]+(?:now|today|here)|"
            r"make[ \t]+a[ \t]+(?:tax[- ]deductible[ \t]+)?(?:donation|gift)[ \t]+(?:to|today)|"
            r"(?-i:Become)[ \t]+a[ \t]+(?:member|supporter)|(?:we|our[ \t]+journalism)[ \t]+"
            r"(?:rely|relies|depend|depends)[ \t]+on[ \t]+(?:readers|donations|the[ \t]+support))\b"
        ),
    ),
    (
        "newsletter sign-up",
        0.85,
        re.compile(
            r"(?i)\b(?:sign[ \t]+up|subscribe)\b[^.\n]{0,60}\bnewsletters?\b|\bnewsletters?\b[^.\n]{0,40}"
            r"\b(?:in[ \t]+your[ \t]+inbox|sign[ \t]+up)\b"
        ),
    ),
    (
        "opinion disclaimer",
        0.9,
        re.compile(r"(?i)\b(?:views|opinions)[ \t]+expressed\b[^.\n]{0,100}\b(?:author|own|necessarily[ \t]+reflect)"),
    ),
    ("editor's note", 0.8, re.compile(r"(?im)^[ \t]*editor[’']?s[ \t]+note\b")),
)
