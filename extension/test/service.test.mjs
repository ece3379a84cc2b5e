// Unit tests of the HTTP client and the reader-facing errors: node --test extension/test/
import assert from "node:assert/strict";
import { test } from "node:test";

import { requestAnnotations, ServiceError } from "../lib/service.js";
import { normaliseServiceUrl, originPattern, serviceUrlProblem, tokenProblem } from "../lib/settings.js";

const SETTINGS = { serviceUrl: "http://127.0.0.1:8765", token: "t0k" };
const PAGE = { text: "Officials said.", url: "https://news.example/a", title: "A" };
const ORIGIN = { extensionOrigin: "chrome-extension://abc" };

function answering(status, body) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  };
  return { calls, fetchImpl };
}

async function readerErrorFor(status, message) {
  const { fetchImpl } = answering(status, { error: { status, code: "x", message } });
  try {
    await requestAnnotations(SETTINGS, PAGE, { ...ORIGIN, fetchImpl });
  } catch (err) {
    assert.ok(err instanceof ServiceError);
    return err.readerError;
  }
  assert.fail("expected an error");
}

test("sends exactly text, url and title, with the token", async () => {
  const { calls, fetchImpl } = answering(200, { annotations: [] });
  await requestAnnotations(SETTINGS, { ...PAGE, extra: "never sent" }, { ...ORIGIN, fetchImpl });
  assert.equal(calls[0].url, "http://127.0.0.1:8765/v1/annotate");
  assert.deepEqual(JSON.parse(calls[0].init.body), { text: PAGE.text, url: PAGE.url, title: PAGE.title });
  assert.equal(calls[0].init.headers.Authorization, "Bearer t0k");
  assert.equal(calls[0].init.credentials, "omit");
});

test("no token, no Authorization header", async () => {
  const { calls, fetchImpl } = answering(200, { annotations: [] });
  await requestAnnotations({ ...SETTINGS, token: "" }, PAGE, { ...ORIGIN, fetchImpl });
  assert.equal(calls[0].init.headers.Authorization, undefined);
});

test("service not running: the command to start it", async () => {
  const fetchImpl = async () => {
    throw new TypeError("Failed to fetch");
  };
  await assert.rejects(requestAnnotations(SETTINGS, PAGE, { ...ORIGIN, fetchImpl }), (err) => {
    assert.equal(err.readerError.code, "unreachable");
    assert.equal(err.readerError.command, "readctx serve --cors-origin chrome-extension://abc");
    return true;
  });
});

test("HTTP errors become messages a reader can act on", async () => {
  const unauthorized = await readerErrorFor(401, "missing token");
  assert.equal(unauthorized.command, "readctx token");
  assert.match(unauthorized.detail, /Paste the token/);
  assert.equal((await readerErrorFor(403, "origin")).command, "readctx serve --cors-origin chrome-extension://abc");
  assert.match((await readerErrorFor(413, "text is over 20000 characters")).detail, /over 20000/);
  assert.equal((await readerErrorFor(422, "text must be a string")).detail, "The service said: text must be a string");
  assert.equal((await readerErrorFor(400, "the document has no text")).code, "bad_input");
  assert.equal((await readerErrorFor(500, "boom")).title, "The service answered with an error (HTTP 500)");
});

test("an answer that is not a readctx document is refused", async () => {
  const { fetchImpl } = answering(200, { hello: "world" });
  await assert.rejects(requestAnnotations(SETTINGS, PAGE, { ...ORIGIN, fetchImpl }), (err) => {
    assert.equal(err.readerError.code, "bad_answer");
    return true;
  });
});

test("service URLs are normalised and turned into host permission patterns", () => {
  assert.equal(normaliseServiceUrl("http://127.0.0.1:8765/"), "http://127.0.0.1:8765");
  assert.equal(normaliseServiceUrl(""), "http://127.0.0.1:8765");
  assert.equal(normaliseServiceUrl("javascript:alert(1)"), "http://127.0.0.1:8765");
  assert.equal(normaliseServiceUrl("https://readctx.example/api/"), "https://readctx.example/api");
  assert.equal(originPattern("https://readctx.example:9000/x"), "https://readctx.example/*");
});

test("a token fetch could not send is named as such, not as the service being down", async () => {
  const { calls, fetchImpl } = answering(200, { annotations: [] });
  await assert.rejects(
    requestAnnotations({ ...SETTINGS, token: "\u201cpasted-with-smart-quotes\u201d" }, PAGE, { ...ORIGIN, fetchImpl }),
    (err) => err.readerError.code === "bad_token" && err.readerError.command === "readctx token",
  );
  assert.equal(calls.length, 0);
});

test("settings refuse a URL without http(s) and a token with spaces or quotes", () => {
  assert.equal(serviceUrlProblem("http://127.0.0.1:9000/"), null);
  assert.equal(serviceUrlProblem(""), null);
  assert.match(serviceUrlProblem("localhost:9000"), /must start with http:\/\/ or https:\/\//);
  assert.match(serviceUrlProblem("ftp://127.0.0.1"), /must start with http/);
  assert.equal(tokenProblem("  uMJ6vnSMboQ-RhQPHFVxAezZrfkZ8V1C0qT5JS8TbPo \n"), null);
  assert.match(tokenProblem("abc def"), /cannot have/);
  assert.match(tokenProblem("\u201cabc\u201d"), /cannot have/);
});
