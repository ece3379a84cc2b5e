"""Training pipeline for readctx's multi-task token tagger (needs torch; not part of the package)."""
