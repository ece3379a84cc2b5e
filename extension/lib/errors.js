// Every failure the reader can meet, phrased as what happened and what to do about it.
// {code, title, detail, command?, settings?}: `command` is shown as a copyable command line,
// `settings` adds a button that opens the settings page.

export function readerError(code, fields) {
  return { code, ...fields };
}

export function serviceUnreachable(serviceUrl, extensionOrigin) {
  return readerError("unreachable", {
    title: "The readctx service is not running",
    detail: `Nothing answered at ${serviceUrl}. Start the service in a terminal, then try again:`,
    // The service refuses origins it was not told about, so the command must name this extension.
    command: extensionOrigin ? `readctx serve --cors-origin ${extensionOrigin}` : "readctx serve --cors-origin <extension origin>",
    settings: true,
  });
}

export function unsendableToken() {
  return readerError("bad_token", {
    title: "The token in the settings cannot be sent",
    detail:
      "It holds characters a token cannot have (spaces, line breaks or typographic quotes from copying?). " +
      "Paste exactly the line this command prints into the settings:",
    command: "readctx token",
    settings: true,
  });
}

export function serviceTimeout(serviceUrl) {
  return readerError("timeout", {
    title: "The readctx service took too long",
    detail: `${serviceUrl} did not answer in time. It may still be loading its model; try again in a moment.`,
  });
}

export function unexpectedAnswer(serviceUrl) {
  return readerError("bad_answer", {
    title: "The answer was not from a readctx service",
    detail: `Check the service URL in the settings (now ${serviceUrl}).`,
    settings: true,
  });
}

export function unexpectedFailure(err) {
  return readerError("internal", {
    title: "Something went wrong in readctx",
    detail: `Reload the page and try again. (${err?.message ?? err})`,
  });
}

export function noArticleText() {
  return readerError("no_text", {
    title: "No article text found on this page",
    detail: "readctx looks for the article (not menus, headers or footers) and found no text, so nothing was sent.",
  });
}

export function cannotReadPage() {
  return readerError("no_access", {
    title: "readctx cannot read this page",
    detail:
      "Click the readctx toolbar button or press Alt+Shift+R while the page is open; that gives readctx " +
      "permission to read this one page. Browser pages (settings, web store) can never be read.",
  });
}

/** The error for an HTTP error status, using the service's own message where it helps. */
export function errorForStatus(status, message, { serviceUrl, extensionOrigin }) {
  const said = message ? `The service said: ${message}` : "";
  switch (status) {
    case 401:
      return readerError("unauthorized", {
        title: "The service needs a token",
        detail: "The token is missing or wrong. Paste the token printed by this command into the readctx settings:",
        command: "readctx token",
        settings: true,
      });
    case 403:
      return readerError("forbidden", {
        title: "The service does not accept requests from this extension",
        detail: "Start it allowing this extension's origin:",
        command: `readctx serve --cors-origin ${extensionOrigin}`,
      });
    case 413:
      return readerError("too_large", {
        title: "This page is too large to annotate",
        detail: `The article text is over the service's size limit. ${said}`.trim(),
      });
    case 400:
    case 415:
    case 422:
      return readerError("bad_input", {
        title: "The service could not annotate this page's text",
        detail: said || "It rejected the text that was sent.",
      });
    case 421:
      return readerError("bad_host", {
        title: "The service refused the address it was reached at",
        detail: `Check the service URL in the settings (now ${serviceUrl}). ${said}`.trim(),
        settings: true,
      });
    case 503:
      return readerError("unavailable", {
        title: "The service is not ready",
        detail: said || "Try again in a moment.",
      });
    default:
      return readerError("http_error", {
        title: `The service answered with an error (HTTP ${status})`,
        detail: said,
      });
  }
}
