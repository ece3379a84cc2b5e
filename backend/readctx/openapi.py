"""The OpenAPI 3.1 description served at ``/openapi.json`` (written by hand: the API is small and stable)."""

from __future__ import annotations

from typing import Any

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {"status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
_SPAN = {
    "type": ["object", "null"],
    "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}, "exact": {"type": "string"}},
}
_ANNOTATION = {
    "type": "object",
    "required": ["id", "type", "label", "start", "end", "exact", "prefix", "suffix", "confidence", "explanation"],
    "properties": {
        "id": {"type": "string"},
        "type": {"enum": ["sourcing", "syndication", "glossary"]},
        "label": {"type": "string"},
        "start": {"type": "integer", "description": "Unicode code point offset, inclusive"},
        "end": {"type": "integer", "description": "Unicode code point offset, exclusive"},
        "exact": {"type": "string"},
        "prefix": {"type": "string"},
        "suffix": {"type": "string"},
        "confidence": {"type": "number"},
        "explanation": {"type": "string"},
        "annotator": {"type": "string"},
        "source": _SPAN,
        "content": _SPAN,
        "source_kind": {"enum": ["named", "official", "anonymous", "vague", "media", None]},
        "detail": {"type": ["string", "null"]},
    },
}
_INPUT = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "text": {"type": "string"},
        "html": {"type": "string"},
        "url": {"type": "string"},
        "title": {"type": "string"},
        "published": {"type": "string"},
    },
    "anyOf": [{"required": ["text"]}, {"required": ["html"]}],
    "additionalProperties": False,
}
_DOCUMENT = {
    "type": "object",
    "required": ["id", "text_sha256", "annotations", "syndication", "glossary", "errors", "model"],
    "properties": {
        "id": {"type": "string"},
        "url": {"type": ["string", "null"]},
        "text_sha256": {"type": "string"},
        "language": {"type": "string"},
        "text": {"type": "string", "description": "present for html input: the text the offsets refer to"},
        "metadata": {"type": "object"},
        "annotations": {"type": "array", "items": {"$ref": "#/components/schemas/Annotation"}},
        "syndication": {"type": "object"},
        "glossary": {"type": "array", "items": {"type": "object"}},
        "errors": {"type": "array", "items": {"type": "object"}},
        "model": {"type": "object"},
    },
}
_FORMAT = {
    "name": "format",
    "in": "query",
    "required": False,
    "schema": {"enum": ["json", "w3c"]},
    "description": "w3c: a W3C Web Annotation AnnotationCollection (JSON-LD)",
}


def _errors(*statuses: int) -> dict[str, Any]:
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {str(status): {"description": "error", **ref} for status in statuses}


def openapi_schema(version: str) -> dict[str, Any]:
    common_errors = _errors(400, 401, 403, 413, 415, 421, 422, 500)
    return {
        "openapi": "3.1.0",
        "info": {"title": "readctx", "version": version},
        "components": {
            "schemas": {"Error": _ERROR, "Annotation": _ANNOTATION, "Input": _INPUT, "Document": _DOCUMENT},
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"token": []}, {}],
        "paths": {
            "/v1/annotate": {
                "post": {
                    "summary": "Annotate one document",
                    "parameters": [_FORMAT],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Input"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "the annotated document",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}},
                        },
                        **common_errors,
                    },
                }
            },
            "/v1/annotate/batch": {
                "post": {
                    "summary": "Annotate documents in order; a bad one becomes an error object in its place",
                    "parameters": [_FORMAT],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["documents"],
                                    "properties": {
                                        "documents": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Input"},
                                        }
                                    },
                                    "additionalProperties": False,
                                }
                            }
                        },
                    },
                    "responses": {"200": {"description": "{documents: [Document | {id, error}]}"}, **common_errors},
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness and the model in use",
                    "security": [],
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/openapi.json": {
                "get": {"summary": "This document", "security": [], "responses": {"200": {"description": "ok"}}}
            },
        },
    }
