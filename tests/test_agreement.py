"""Inter-annotator agreement on PolNeAR's multi-annotated articles, on tiny inline annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readctx.agreement import MAJORITY, agreement, held_out_agreement_set, main, majority_spans
from readctx.corpora import GoldSpan, MultiAnnotated


def test_majority_keeps_characters_most_annotators_marked() -> None:
    text = "He said it, she told us."
    # "said" by all three, "told" by two of three, "us" by one: only a strict majority counts.
    votes = [[(3, 7), (16, 20)], [(3, 7), (16, 20), (21, 23)], [(0, 7)]]
    assert majority_spans(text, votes) == [(3, 7), (16, 20)]


def test_majority_trims_whitespace_and_needs_more_than_half() -> None:
    text = "a  said  b"
    assert majority_spans(text, [[(1, 8)], [(2, 9)]]) == [(3, 7)]
    assert majority_spans(text, [[(3, 7)], [], [(3, 7)], []]) == []


def cue(start: int, end: int) -> GoldSpan:
    return GoldSpan("attribution", "cue", start, end)


def test_each_rater_is_scored_against_every_other_human() -> None:
    text = "He said it, she told us."
    article = MultiAnnotated(
        "doc",
        text,
        {"a": (cue(3, 7), cue(16, 20)), "b": (cue(3, 7), cue(16, 20)), "c": (cue(3, 7),)},
    )
    system = [[cue(3, 7), cue(16, 20)]]
    table = agreement([article], {"model": system})
    f1 = {rater: round(by_label["cue"].f1, 4) for rater, by_label in table.tallies.items()}
    # a against b: 2/2; a against c: 1 hit of 2 predicted, 1 gold -> F1 2/3. Pooled over both references:
    # hits 3, predicted 4, gold 3 -> 6/7. c against a and b: hits 2, predicted 2, gold 4 -> 2/3.
    assert f1["a"] == f1["b"] == round(6 / 7, 4)
    assert f1["c"] == round(2 / 3, 4)
    # The system is scored against all three: hits 5, predicted 6, gold 5.
    assert f1["model"] == round(10 / 11, 4)
    # Majority of the two others (a tie on "told" is no majority): against a and against b, "said" only;
    # against c, "said" and "told". Hits 1 + 1 + 1, predicted 1 + 1 + 2, gold 2 + 2 + 1.
    majority = table.tallies[MAJORITY]["cue"]
    assert (majority.hits, majority.predicted, majority.gold) == (3, 4, 5)
    assert table.tallies["a"]["source"].gold == 0


def test_command_prints_humans_and_majority(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "He said it, she told us."
    split = tmp_path / "polnear" / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "pub_x.txt").write_text(text, encoding="utf-8")
    for annotator, ann in (("4b22", "T1\tCue 3 7\tsaid\n"), ("4e07", "T1\tCue 3 7\tsaid\n"), ("5fec", "")):
        (split / "attributions" / f"pub_x_{annotator}.ann").write_text(ann, encoding="utf-8")
    assert main(["--data", str(tmp_path), "--split", "dev", "--no-model", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == 1
    # 4b22 against 4e07 (1 hit) and against 5fec (nothing to find, one false cue).
    assert report["raters"]["4b22"]["cue"] == {"f1": 0.6667, "hits": 1, "predicted": 2, "gold": 1}
    assert sorted(report["raters"]) == ["4b22", "4e07", "5fec", MAJORITY]


def test_command_rejects_a_folder_without_polnear(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--data", str(tmp_path), "--no-model"])
    assert exit_info.value.code == 2


def test_a_model_counts_as_held_out_only_when_its_training_command_says_so() -> None:
    assert held_out_agreement_set("python -m training.train --data d --hold-out-agreement-set --out o")
    assert not held_out_agreement_set("python -m training.train --data d --out o")
    assert not held_out_agreement_set("")  # a model that recorded no command
