"""The multi-task tagger: a BERT encoder, an optional casing embedding and one linear head per task."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from transformers import AutoModel, BertConfig, BertModel

from readctx.decoding import HEAD_LABELS, TASKS
from readctx.transformer import CASING_CLASSES


class MultiTaskTagger(nn.Module):
    def __init__(self, encoder: BertModel, casing_feature: bool, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.casing_feature = casing_feature
        # Zero-initialised so the pretrained input distribution is unchanged at step 0.
        self.casing = nn.Embedding(len(CASING_CLASSES), hidden) if casing_feature else None
        if self.casing is not None:
            nn.init.zeros_(self.casing.weight)
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({task: nn.Linear(hidden, len(HEAD_LABELS[task])) for task in TASKS})

    @classmethod
    def from_pretrained(cls, base: str, casing_feature: bool, layers: int | None = None) -> MultiTaskTagger:
        """``layers`` keeps only the base's first N encoder layers: a smaller, faster student. The bottom
        layers are kept, as published layer-dropping studies of BERT found dropping the top ones loses least;
        that choice was not A/B-tested here."""
        encoder = AutoModel.from_pretrained(base, local_files_only=True, add_pooling_layer=False)
        if layers is not None:
            if not 0 < layers <= encoder.config.num_hidden_layers:
                raise ValueError(f"--layers must lie in 1..{encoder.config.num_hidden_layers}, not {layers}")
            encoder.encoder.layer = nn.ModuleList(list(encoder.encoder.layer)[:layers])
            encoder.config.num_hidden_layers = layers
        return cls(encoder, casing_feature)

    @classmethod
    def from_config(cls, config: dict[str, Any], casing_feature: bool) -> MultiTaskTagger:
        return cls(BertModel(BertConfig(**config), add_pooling_layer=False), casing_feature)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        casing_ids: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, ...]:
        embeddings = self.encoder.get_input_embeddings()(input_ids)  # type: ignore[no-untyped-call]
        if self.casing is not None and casing_ids is not None:
            embeddings = embeddings + self.casing(casing_ids)
        hidden = self.encoder(inputs_embeds=embeddings, attention_mask=attention_mask).last_hidden_state
        hidden = self.dropout(hidden)
        return tuple(self.heads[task](hidden) for task in TASKS)
