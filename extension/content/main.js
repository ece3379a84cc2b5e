// Content script part 4: talks to the background service worker and keeps highlights in place
// while the page changes. It never contacts the readctx service itself (content scripts are
// subject to the page's CORS rules; the extension's own pages are not).
(() => {
  const ns = (globalThis.readctx ??= {});
  if (ns.main) return;

  const REANCHOR_DELAY_MS = 300;
  let capturedText = null; // the text the current items' offsets refer to
  let items = []; // [{id, start, end, type, label, labelText, confidence, details}]
  let elementCount = 0;
  let observer = null;
  let timer = null;

  // Our own DOM edits must not look like page changes to the observer.
  function quietly(fn) {
    const result = fn();
    observer?.takeRecords();
    return result;
  }

  /** Applies `next` items (offsets into `text`); false when the page no longer shows `text`. */
  function apply(text, next) {
    return quietly(() => {
      ns.highlight.clearHighlights();
      const capture = ns.capture.capturePage();
      // No article at the moment (a client-rendered page between two renders) counts as "".
      if ((capture?.text ?? "") !== text) return false;
      if (capture) ns.highlight.applyHighlights(capture, next);
      capturedText = text;
      items = next;
      ns.items = new Map(next.map((item) => [item.id, item]));
      elementCount = document.querySelectorAll(ns.highlight.TAG).length;
      watch();
      return true;
    });
  }

  async function reanchor(text) {
    const reply = await chrome.runtime.sendMessage({
      type: "readctx:reanchor", text, url: location.href, title: document.title.toWellFormed(),
    });
    if (reply?.items && !apply(text, reply.items)) schedule();
  }

  function watch() {
    if (observer) return;
    // Client-rendered pages replace whole subtrees; wait until they settle, then re-anchor.
    observer = new MutationObserver((records) => {
      if (records.some((r) => !isOurs(r.target))) schedule();
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  }

  // The tooltip lives in the page too; its updates are not page changes.
  function isOurs(node) {
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return Boolean(el?.closest("[data-readctx-ui]"));
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, REANCHOR_DELAY_MS);
  }

  function check() {
    if (capturedText === null) return;
    const text = ns.capture.capturePage()?.text ?? "";
    if (text === capturedText) {
      // Same words: re-apply only if the page threw our highlight elements away.
      const present = document.querySelectorAll(ns.highlight.TAG).length;
      if (present !== elementCount) apply(text, items);
      return;
    }
    reanchor(text).catch(() => {});
  }

  function onMessage(msg, _sender, reply) {
    switch (msg?.type) {
      case "readctx:capture": {
        const capture = ns.capture.capturePage();
        reply(capture
          ? { ok: true, text: capture.text, url: location.href, title: document.title.toWellFormed() }
          : { ok: false, reason: "no-text" });
        return false;
      }
      case "readctx:highlight": {
        const ok = apply(msg.text, msg.items);
        if (!ok) {
          // The page changed while the service was working: anchor against what it shows now.
          capturedText = msg.text;
          items = msg.items;
          watch();
          schedule();
        }
        reply({ ok });
        return false;
      }
      case "readctx:focus":
        reply({ ok: ns.highlight.focusHighlight(msg.id) });
        return false;
      case "readctx:filter":
        ns.highlight.setHiddenTypes(msg.hiddenTypes ?? []);
        reply({ ok: true });
        return false;
      case "readctx:clear":
        capturedText = null;
        items = [];
        quietly(() => ns.highlight.clearHighlights());
        reply({ ok: true });
        return false;
      default:
        return false;
    }
  }

  chrome.runtime.onMessage.addListener(onMessage);
  ns.tooltip.install();
  ns.main = { check };
})();
