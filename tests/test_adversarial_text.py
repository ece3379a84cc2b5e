"""Pathological inputs must not hang a worker: the text and sourcing layers stay (near) linear.

Not a performance claim (those live in benchmarks/): the bound is generous, and a quadratic path on 200,000
code points would take minutes, so it still fails loudly.
"""

from __future__ import annotations

import time

import pytest

from readctx.sourcing import SourcingAnnotator
from readctx.text import split_sentences
from readctx.types import Doc, Sentence

SIZE = 200_000
HANG = 10.0  # seconds


@pytest.mark.parametrize(
    "unit",
    ["said ", "According to ", "allegedly ", ".", "A. ", "Mr. ", "\n \n", '"', ",", "(", "Officials, who said, "],
)
def test_pathological_text_finishes(unit: str) -> None:
    text = unit * (SIZE // len(unit))
    started = time.perf_counter()
    split_sentences(text)
    SourcingAnnotator()(Doc(id="x", text=text, sentences=[Sentence(0, len(text))]))
    assert time.perf_counter() - started < HANG
