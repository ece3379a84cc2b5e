// Content script part 2: wrap anchored ranges in <readctx-hl> elements and remove them again.
// A custom element name keeps page styles for <mark> off our highlights. Overlapping annotations
// share one element per text piece, listing every id in data-ids.
(() => {
  const ns = (globalThis.readctx ??= {});
  if (ns.highlight) return;

  const TAG = "readctx-hl";
  // Text nodes our splitting created; clearing merges them back into the node they came from,
  // so the page's own text nodes (which frameworks hold references to) keep their identity.
  let splitTails = [];

  /** Highlights items [{id, start, end, type, label}] given in captured-text offsets. */
  function applyHighlights(capture, items) {
    const byNode = new Map();
    for (const item of items) {
      for (const piece of ns.capture.domPieces(capture, item.start, item.end)) {
        if (!byNode.has(piece.node)) byNode.set(piece.node, []);
        byNode.get(piece.node).push({ ...piece, item });
      }
    }
    for (const [node, pieces] of byNode) wrapPieces(node, pieces);
  }

  function wrapPieces(textNode, pieces) {
    // Split at every boundary, right to left so earlier offsets stay valid.
    const cuts = [...new Set(pieces.flatMap((p) => [p.from, p.to]))]
      .filter((o) => o > 0 && o < textNode.data.length)
      .sort((a, b) => b - a);
    const segments = [];
    let end = textNode.data.length;
    for (const cut of cuts) {
      const tail = textNode.splitText(cut);
      splitTails.push(tail);
      segments.push({ node: tail, from: cut, to: end });
      end = cut;
    }
    segments.push({ node: textNode, from: 0, to: end });
    for (const seg of segments) {
      const covering = pieces.filter((p) => p.from <= seg.from && p.to >= seg.to).map((p) => p.item);
      if (covering.length && seg.node.data.length) wrap(seg.node, covering);
    }
  }

  function wrap(textNode, items) {
    // The shortest span is the most specific: it decides the colour.
    const primary = [...items].sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    const el = document.createElement(TAG);
    el.dataset.ids = items.map((i) => i.id).join(" ");
    el.dataset.type = primary.type;
    el.dataset.label = primary.label;
    // Other kinds covering the same words still show, as a border under the primary underline.
    const others = [...new Set(items.filter((i) => i !== primary).map((i) => i.type))].filter((t) => t !== primary.type);
    if (others.length) el.dataset.also = others.join(" ");
    textNode.parentNode.insertBefore(el, textNode);
    el.appendChild(textNode);
  }

  function clearHighlights() {
    for (const el of document.querySelectorAll(TAG)) el.replaceWith(...el.childNodes);
    for (const tail of splitTails) {
      const head = tail.previousSibling;
      if (tail.isConnected && head?.nodeType === Node.TEXT_NODE) {
        head.appendData(tail.data);
        tail.remove();
      }
    }
    splitTails = [];
  }

  function elementsFor(id) {
    return [...document.querySelectorAll(TAG)].filter((el) => el.dataset.ids.split(" ").includes(id));
  }

  /** Scrolls to the highlight of `id` and flashes it; false when it is not in the page. */
  function focusHighlight(id) {
    const els = elementsFor(id);
    if (!els.length) return false;
    els[0].scrollIntoView({ block: "center", behavior: "smooth" });
    for (const el of els) {
      el.classList.remove("readctx-flash");
      void el.offsetWidth; // restart the animation when clicked twice
      el.classList.add("readctx-flash");
      setTimeout(() => el.classList.remove("readctx-flash"), 2000);
    }
    return true;
  }

  /** Hides highlights of the given types (filters in the sidebar). */
  function setHiddenTypes(types) {
    document.documentElement.setAttribute("data-readctx-hide", types.join(" "));
  }

  ns.highlight = { TAG, applyHighlights, clearHighlights, focusHighlight, setHiddenTypes, elementsFor };
})();
