"""The packaged model inside the whole pipeline: the cascade's merge on real model output, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from readctx.config import Settings
from readctx.pipeline import Pipeline
from readctx.types import InputDocument

pytest.importorskip("onnxruntime")

TEXT = (
    "GENEVA (Reuters) - Two senior officials, who asked not to be named, said on Tuesday that talks would "
    "resume next week. The International Atomic Energy Agency (IAEA) said its inspectors had left the plant. "
    "The rebels allegedly seized the town of Marib, a claim that could not be independently verified."
)


MODEL_NAMES = {"auto": "readctx-minilm-multitask", "fast": "readctx-minilm-l3-multitask"}


@pytest.fixture(scope="module", params=sorted(MODEL_NAMES))
def model_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def pipeline(model_mode: str, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    home: Path = tmp_path_factory.mktemp("home")
    return Pipeline.from_settings(Settings(home=home, model=model_mode))


def test_the_packaged_models_run_offline_in_the_pipeline(pipeline: Pipeline, model_mode: str) -> None:
    result = pipeline.annotate(InputDocument(text=TEXT), "doc")
    document = result.to_json()
    assert document["errors"] == []
    assert document["model"]["name"] == MODEL_NAMES[model_mode]
    sourcing = {(a["label"], a["exact"]): a for a in document["annotations"] if a["type"] == "sourcing"}
    # Each rule cue is confirmed by the model: both layers agree, so the confidences are combined.
    for key in [("vague_source", "said"), ("hedge", "allegedly"), ("hedge", "could not be independently verified")]:
        assert key in sourcing, sorted(sourcing)
        assert sourcing[key]["annotator"] == "rules+model"
        assert sourcing[key]["confidence"] > 0.9
    for annotation in document["annotations"]:
        assert TEXT[annotation["start"] : annotation["end"]] == annotation["exact"]
    terms = {entry["term"]: entry for entry in document["glossary"]}
    assert terms["IAEA"]["expansion"] == "International Atomic Energy Agency"
    assert any(entry["origin"] == "model" for entry in document["glossary"])


def test_batch_and_single_paths_agree(pipeline: Pipeline) -> None:
    texts = [TEXT, "Officials said the bridge was closed. 🙂 北京 The minister told reporters the plan was dead."]
    batch = pipeline.annotate_batch([(InputDocument(text=t), f"b{i}") for i, t in enumerate(texts)])
    for text, result in zip(texts, batch, strict=True):
        assert not isinstance(result, Exception)
        single = pipeline.annotate(InputDocument(text=text), "single")
        spans = [(a.label, a.start, a.end) for a in result.doc.annotations if a.type == "sourcing"]
        assert spans == [(a.label, a.start, a.end) for a in single.doc.annotations if a.type == "sourcing"]
