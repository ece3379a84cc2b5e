// The only code that talks to the readctx service: POST /v1/annotate over HTTP.
// It runs in extension pages (service worker, side panel), which host permissions exempt from
// CORS; the service still checks the Origin header against its --cors-origin list.

import { errorForStatus, serviceTimeout, serviceUnreachable, unexpectedAnswer, unsendableToken } from "./errors.js";
import { tokenProblem } from "./settings.js";

const TIMEOUT_MS = 120_000; // the first request may wait for the model to load

export class ServiceError extends Error {
  constructor(readerError) {
    super(readerError.title);
    this.readerError = readerError;
  }
}

/** Sends the captured page and returns the service's Document, or throws ServiceError. */
export async function requestAnnotations(settings, page, { extensionOrigin, fetchImpl = fetch } = {}) {
  // Checked first: fetch would throw on such a header, and that must not read as "the service is down".
  if (tokenProblem(settings.token)) throw new ServiceError(unsendableToken());
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (settings.token) headers.Authorization = `Bearer ${settings.token}`;
  let response;
  try {
    response = await fetchImpl(`${settings.serviceUrl}/v1/annotate`, {
      method: "POST",
      headers,
      // Exactly what the settings page promises: text, URL and title, nothing else.
      body: JSON.stringify({ text: page.text, url: page.url, title: page.title }),
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new ServiceError(
      err?.name === "TimeoutError" ? serviceTimeout(settings.serviceUrl) : serviceUnreachable(settings.serviceUrl, extensionOrigin),
    );
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = typeof body?.error?.message === "string" ? body.error.message : "";
    throw new ServiceError(
      errorForStatus(response.status, message, { serviceUrl: settings.serviceUrl, extensionOrigin }),
    );
  }
  if (!body || !Array.isArray(body.annotations)) {
    throw new ServiceError(unexpectedAnswer(settings.serviceUrl));
  }
  return body;
}
