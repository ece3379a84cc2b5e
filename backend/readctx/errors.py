"""Errors, each carrying the HTTP status and the stable ``code`` of readctx's one JSON error shape.

    ReadctxError (500 internal_error)
     ├── InputError (400 invalid_input)            malformed JSON or a document without text/html
     │    └── ValidationError (422 validation_error)  a field of the wrong type; names the field, never its value
     ├── Unauthorized (401 unauthorized)           token missing or wrong
     ├── Forbidden (403 forbidden)                 an Origin that is not a configured extension
     ├── HostNotAllowed (421 host_not_allowed)     a Host header that is not this service (DNS rebinding)
     ├── PayloadTooLarge (413 payload_too_large)   body or text over the configured limit
     ├── UnsupportedMediaType (415 unsupported_media_type)
     └── ModelUnavailable (503 model_unavailable)  the transformer cannot be loaded (install hint included)

The error body is always ``{"error": {"status": int, "code": str, "message": str}}`` (``readctx.api``).
"""

from __future__ import annotations


class ReadctxError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict[str, dict[str, object]]:
        return {"error": {"status": self.status, "code": self.code, "message": self.message}}


class InputError(ReadctxError):
    status = 400
    code = "invalid_input"


class ValidationError(InputError):
    status = 422
    code = "validation_error"


class Unauthorized(ReadctxError):
    status = 401
    code = "unauthorized"


class Forbidden(ReadctxError):
    status = 403
    code = "forbidden"


class HostNotAllowed(ReadctxError):
    status = 421
    code = "host_not_allowed"


class PayloadTooLarge(ReadctxError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ReadctxError):
    status = 415
    code = "unsupported_media_type"


class ModelUnavailable(ReadctxError):
    status = 503
    code = "model_unavailable"
