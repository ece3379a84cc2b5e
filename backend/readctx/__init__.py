"""readctx: reading context for news pages — sourcing language, syndication origin and an entity glossary."""

from __future__ import annotations

__version__ = "0.1.0"
