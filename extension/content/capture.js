// Content script part 1 (classic script, injected on demand): capture the article's text so that
// every character of the captured string maps back to a (text node, offset) in the DOM.
// Whitespace is collapsed the way the page renders it, and block elements are separated by a
// blank line so sentences of different paragraphs never run together.
(() => {
  const ns = (globalThis.readctx ??= {});
  if (ns.capture) return;

  // Never part of the article: code, chrome, controls and embedded media.
  const SKIP = new Set([
    "script", "style", "noscript", "template", "nav", "aside", "form", "button", "select",
    "textarea", "input", "svg", "canvas", "iframe", "object", "video", "audio", "dialog", "menu",
  ]);
  const COLLAPSIBLE = /[ \t\n\r\f]/;
  const BLOCK_BREAK = "\n\n";

  /** The element that holds the article: <article>, <main>, [role=main], else the densest block. */
  function findMainRoot(doc = document) {
    const visible = (el) => el.checkVisibility?.() ?? true;
    const longest = (els) =>
      els.filter(visible).sort((a, b) => b.textContent.length - a.textContent.length)[0];
    const articles = [...doc.querySelectorAll("article")].filter(
      (el) => !el.parentElement?.closest("nav, aside, footer"),
    );
    const found = longest(articles) ?? longest([...doc.querySelectorAll("main, [role=main]")]);
    return found ?? densestBlock(doc) ?? doc.body;
  }

  // The element whose direct paragraphs carry the most text (readability-style, much simplified).
  function densestBlock(doc) {
    const score = new Map();
    for (const p of doc.querySelectorAll("p")) {
      const parent = p.parentElement;
      if (!parent || parent.closest("nav, aside, header, footer")) continue;
      score.set(parent, (score.get(parent) ?? 0) + p.textContent.trim().length);
    }
    let best = null;
    let bestScore = 0;
    for (const [el, s] of score) if (s > bestScore) [best, bestScore] = [el, s];
    return best;
  }

  function skipElement(el, style) {
    const tag = el.localName;
    if (SKIP.has(tag) || el.hasAttribute("data-readctx-ui")) return true;
    if (el.hidden || el.getAttribute("aria-hidden") === "true") return true;
    if (style.display === "none" || style.visibility === "hidden") return true;
    // Page-level header/footer are site chrome; inside an <article> they hold headline, byline
    // and credit lines, which matter for syndication.
    if ((tag === "header" || tag === "footer") && !el.closest("article")) return true;
    const role = el.getAttribute("role");
    return role === "navigation" || role === "banner" || role === "contentinfo" || role === "complementary";
  }

  /**
   * Captures the text under `root`. Returns {text, chunks}: chunks[k] = {node, start, offsets}
   * where offsets[i] is the node offset of captured character start + i. Separators that are
   * not in the DOM (block breaks, <br>) belong to no chunk.
   */
  function captureText(root) {
    const parts = [];
    const chunks = [];
    let length = 0;
    let lastChar = "";
    let pendingBreak = false;
    let pendingSpace = null; // {node, offset}: a collapsed run of whitespace not yet emitted

    const append = (node, ch, offset) => {
      let chunk = chunks[chunks.length - 1];
      if (!chunk || chunk.node !== node) {
        chunk = { node, start: length, offsets: [] };
        chunks.push(chunk);
      }
      chunk.offsets.push(offset);
      parts.push(ch);
      length += 1;
      lastChar = ch;
    };
    const separator = (str) => {
      parts.push(str);
      length += str.length;
      lastChar = str[str.length - 1];
    };
    const emit = (node, ch, offset) => {
      if (pendingBreak) {
        if (length > 0) separator(BLOCK_BREAK);
        pendingBreak = false;
        pendingSpace = null;
      } else if (pendingSpace) {
        append(pendingSpace.node, " ", pendingSpace.offset);
        pendingSpace = null;
      }
      append(node, ch, offset);
    };

    const visitText = (node, preserve) => {
      const data = node.data;
      for (let i = 0; i < data.length; i++) {
        const ch = data[i];
        if (!preserve && COLLAPSIBLE.test(ch)) {
          // Leading whitespace of a block and runs of whitespace render as at most one space.
          if (length > 0 && !pendingBreak && !pendingSpace && lastChar !== " " && lastChar !== "\n") {
            pendingSpace = { node, offset: i };
          }
          continue;
        }
        emit(node, ch, i);
      }
    };

    const visit = (node, preserve) => {
      if (node.nodeType === Node.TEXT_NODE) {
        visitText(node, preserve);
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      const style = getComputedStyle(node);
      if (skipElement(node, style)) return;
      if (node.localName === "br") {
        pendingSpace = null;
        if (length > 0 && !pendingBreak) separator("\n");
        return;
      }
      const block = !style.display.startsWith("inline") && style.display !== "contents";
      const keepWhitespace = /^(pre|pre-wrap|break-spaces)$/.test(style.whiteSpace);
      if (block) pendingBreak = true;
      for (let child = node.firstChild; child; child = child.nextSibling) visit(child, keepWhitespace);
      if (block) pendingBreak = true;
    };

    visit(root, false);
    // A lone surrogate (broken emoji in the page) becomes U+FFFD, one unit for one: offsets keep their meaning,
    // and the service, which refuses text that is not valid Unicode, can read it.
    return { text: parts.join("").toWellFormed(), chunks };
  }

  /** DOM pieces [{node, from, to}] covering captured text [start, end). */
  function domPieces(capture, start, end) {
    const { chunks } = capture;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = chunks[mid];
      if (c.start + c.offsets.length <= start) lo = mid + 1;
      else hi = mid;
    }
    const pieces = [];
    for (let k = lo; k < chunks.length && chunks[k].start < end; k++) {
      const c = chunks[k];
      const from = Math.max(start, c.start) - c.start;
      const to = Math.min(end, c.start + c.offsets.length) - c.start;
      if (to > from) pieces.push({ node: c.node, from: c.offsets[from], to: c.offsets[to - 1] + 1 });
    }
    return pieces;
  }

  /** Captures the page's main text; null when there is none. */
  function capturePage() {
    const root = findMainRoot();
    if (!root) return null;
    const capture = captureText(root);
    return capture.text.trim() ? capture : null;
  }

  ns.capture = { capturePage, captureText, findMainRoot, domPieces };
})();
