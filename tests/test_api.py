from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from readctx.api import create_app
from readctx.config import Settings
from readctx.errors import InputError

TEXT = "Two senior officials, who asked not to be named, said the talks would resume. 🙂 It is unclear whether."
CANARY = "CANARY-7f3a9c1e-do-not-leak"


def client_for(tmp_path: Path, **changes: object) -> TestClient:
    settings = Settings(home=tmp_path / "home", model="off").replace(**changes)
    return TestClient(create_app(settings), base_url="http://127.0.0.1:8765")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with client_for(tmp_path) as test_client:
        yield test_client


def test_healthz_and_openapi(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["token_required"] is False
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/v1/annotate", "/v1/annotate/batch", "/healthz", "/openapi.json"}


def test_responses_match_the_served_openapi_schemas(client: TestClient) -> None:
    from jsonschema import Draft202012Validator

    components = client.get("/openapi.json").json()["components"]

    def problems(schema: str, instance: object) -> list[str]:
        validator = Draft202012Validator({"$ref": f"#/components/schemas/{schema}", "components": components})
        return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(instance)]

    html = "<html><body><article><p>KYIV (Reuters) - Officials said the IAEA had left.</p></article></body></html>"
    for body in ({"text": TEXT, "url": "https://example.org/a"}, {"html": html}):
        assert problems("Input", body) == []
        assert problems("Document", client.post("/v1/annotate", json=body).json()) == []
    assert problems("Error", client.post("/v1/annotate", json={"text": 3}).json()) == []
    unknown = client.post("/v1/annotate/batch", json={"documents": [], "extra": 1})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"] == "1 unknown field(s) next to 'documents'; it is the only one"


def test_annotate_returns_code_point_offsets(client: TestClient) -> None:
    response = client.post("/v1/annotate", json={"text": TEXT, "url": "https://example.org/a"})
    assert response.status_code == 200
    document = response.json()
    assert document["url"] == "https://example.org/a"
    assert "text" not in document  # only for html input
    found = [(a["label"], a["exact"], a["start"], a["end"]) for a in document["annotations"] if a["type"] == "sourcing"]
    assert found == [("vague_source", "said", 49, 53), ("hedge", "It is unclear whether", 80, 101)]
    for annotation in document["annotations"]:
        assert TEXT[annotation["start"] : annotation["end"]] == annotation["exact"]
        assert TEXT[: annotation["start"]].endswith(annotation["prefix"])
        assert TEXT[annotation["end"] :].startswith(annotation["suffix"])
    assert document["model"] == {"name": "readctx-rules", "version": "0.1.0"}


def test_w3c_format(client: TestClient) -> None:
    collection = client.post("/v1/annotate?format=w3c", json={"text": TEXT}).json()
    assert collection["type"] == "AnnotationCollection"
    first = collection["first"]["items"][0]
    quote, position = first["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    assert TEXT[position["start"] : position["end"]] == quote["exact"]


def test_html_input_returns_the_text_offsets_refer_to(client: TestClient) -> None:
    html = (
        "<html><body><article><p>The governor added that the roads would reopen on Monday.</p>"
        "<p>Residents said the water was back.</p></article><footer>Contact us</footer></body></html>"
    )
    document = client.post("/v1/annotate", json={"html": html}).json()
    for annotation in document["annotations"]:
        assert document["text"][annotation["start"] : annotation["end"]] == annotation["exact"]


def test_batch_keeps_order_and_reports_bad_documents_in_place(client: TestClient) -> None:
    response = client.post(
        "/v1/annotate/batch",
        json={"documents": [{"id": "a", "text": TEXT}, {"id": "b", "text": 5}, {"text": "Police said so."}]},
    )
    documents = response.json()["documents"]
    assert [d["id"] for d in documents] == ["a", "b", "sha256:" + hashlib.sha256(b"Police said so.").hexdigest()[:24]]
    assert documents[1]["error"] == {
        "status": 422,
        "code": "validation_error",
        "message": "field 'text' must be a string, not a number",
    }


def test_errors_share_one_shape(client: TestClient) -> None:
    assert client.post("/v1/annotate", content=b"{", headers={"content-type": "application/json"}).json() == {
        "error": {
            "status": 400,
            "code": "invalid_input",
            "message": "the body is not valid JSON (Expecting property name enclosed in double quotes)",
        }
    }
    response = client.post("/v1/annotate", content=TEXT.encode(), headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/v1/annotate").json()["error"]["code"] == "method_not_allowed"
    empty = client.post("/v1/annotate", json={"text": "   "})
    assert empty.status_code == 400 and empty.json()["error"]["message"] == "the document has no text"
    menus_only = client.post("/v1/annotate", json={"html": "<nav><a href='/'>Home</a> <a href='/n'>News</a></nav>"})
    assert menus_only.status_code == 400
    assert menus_only.json()["error"]["message"] == "the document has no text (no main text found in the HTML)"


def test_validation_errors_never_echo_the_page(client: TestClient) -> None:
    response = client.post("/v1/annotate", json={"text": ["a", CANARY]})
    assert response.status_code == 422
    assert CANARY not in response.text
    unknown = client.post("/v1/annotate", json={"text": "x", CANARY: 1})
    assert unknown.status_code == 422 and CANARY not in unknown.text


def test_body_limit_with_and_without_content_length(tmp_path: Path) -> None:
    with client_for(tmp_path, max_body_bytes=1000) as client:
        body = json.dumps({"text": "word " * 400}).encode()
        declared = client.post("/v1/annotate", content=body, headers={"content-type": "application/json"})
        assert declared.status_code == 413
        assert declared.json()["error"]["code"] == "payload_too_large"

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(body), 100):
                yield body[start : start + 100]

        streamed = client.post("/v1/annotate", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert streamed.json()["error"]["code"] == "payload_too_large"
    with client_for(tmp_path, max_text_chars=10) as client:
        assert client.post("/v1/annotate", json={"text": "a long enough text"}).status_code == 413


def test_token_paths(tmp_path: Path) -> None:
    with client_for(tmp_path, require_token=True) as client:
        token = (tmp_path / "home" / "token").read_text().strip()
        assert client.post("/v1/annotate", json={"text": TEXT}).status_code == 401
        wrong = client.post("/v1/annotate", json={"text": TEXT}, headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
        right = client.post("/v1/annotate", json={"text": TEXT}, headers={"authorization": f"Bearer {token}"})
        assert right.status_code == 200
        assert client.get("/healthz").json()["token_required"] is True


def test_origin_and_cors(tmp_path: Path) -> None:
    extension = "chrome-extension://abcdefghijklmnop"
    with client_for(tmp_path, cors_origins=(extension,)) as client:
        foreign = client.post("/v1/annotate", json={"text": TEXT}, headers={"origin": "https://evil.example"})
        assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "forbidden"
        allowed = client.post("/v1/annotate", json={"text": TEXT}, headers={"origin": extension})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == extension
        preflight = client.options(
            "/v1/annotate",
            headers={
                "origin": extension,
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == extension
        refused = client.options(
            "/v1/annotate",
            headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
        )
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        assert "access-control-allow-origin" not in refused.headers


def test_an_empty_token_file_refuses_to_serve(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "token").write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="holds no usable token"):
        create_app(Settings(home=home, model="off", require_token=True))


def test_host_check_blocks_dns_rebinding(client: TestClient) -> None:
    rebound = client.post("/v1/annotate", json={"text": TEXT}, headers={"host": "attacker.example:8765"})
    assert rebound.status_code == 421
    assert rebound.json()["error"]["code"] == "host_not_allowed"
    assert client.get("/healthz", headers={"host": "localhost:8765"}).status_code == 200


def test_canary_never_leaves_the_request(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    text = f"Police said {CANARY} was seen. Officials said the road was closed."
    with client_for(tmp_path, max_body_bytes=500) as client:
        responses = [
            client.post("/v1/annotate", json={"text": text}),
            client.post("/v1/annotate", json={"text": text, "bad": CANARY}),
            client.post("/v1/annotate", json={"text": [text]}),
            client.post("/v1/annotate", content=text.encode(), headers={"content-type": "text/plain"}),
            client.post("/v1/annotate", json={"text": text * 20}),
            client.post("/v1/annotate/batch", json={"documents": [{"text": 3, "url": CANARY}, {"html": [text]}]}),
        ]
    assert responses[0].status_code == 200
    for response in responses[1:]:
        assert CANARY not in response.text
    assert CANARY not in caplog.text
    captured = capfd.readouterr()
    assert CANARY not in captured.out + captured.err
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


def test_hostile_inputs_get_errors_not_crashes(tmp_path: Path) -> None:
    with client_for(tmp_path, require_token=True) as client:
        token = (tmp_path / "home" / "token").read_text().strip()
        auth = {"authorization": f"Bearer {token}"}
        odd_token = client.post(
            "/v1/annotate", json={"text": TEXT}, headers={"authorization": "Bearer t\u00e9st".encode("latin-1")}
        )  # type: ignore[dict-item]
        assert odd_token.status_code == 401
        nested = client.post(
            "/v1/annotate", content=b"[" * 100_000, headers={**auth, "content-type": "application/json"}
        )
        assert nested.status_code == 400 and nested.json()["error"]["message"] == "the body is JSON nested too deeply"
        batch = client.post(
            "/v1/annotate/batch",
            content=b'{"documents": [{"text": "\\ud800 said"}, {"id": "ok", "text": "Police said so."}]}',
            headers={**auth, "content-type": "application/json"},
        ).json()["documents"]
        assert batch[0] == {
            "id": None,
            "index": 0,
            "error": {
                "status": 422,
                "code": "validation_error",
                "message": "field 'text' contains an unpaired surrogate (not valid Unicode text)",
            },
        }
        assert batch[1]["id"] == "ok"


def test_ipv6_loopback_host_and_w3c_batch_media_type(client: TestClient) -> None:
    assert client.get("/healthz", headers={"host": "[::1]:8765"}).status_code == 200
    response = client.post("/v1/annotate/batch?format=w3c", json={"documents": [{"text": TEXT}]})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json()["documents"][0]["type"] == "AnnotationCollection"
