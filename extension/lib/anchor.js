// Anchoring: turn the service's annotations into selectors over the text that was sent, then
// place each selector in the text the page shows now. The approach follows hypothesis/client
// (dom-anchor-text-position + dom-anchor-text-quote): trust the position when the quote is still
// there, else search for the quote and rank hits by prefix/suffix context and distance, else an
// approximate match with a small edit budget. A selector that cannot be placed confidently is an
// orphan: the reader sees it listed, never highlighted on the wrong words.

import { codePointToUtf16 } from "./codepoints.js";
import { approxOccurrences, exactOccurrences, similarity } from "./match.js";

const CONTEXT_CHARS = 32;
const MIN_CONTEXT_SIMILARITY = 0.5;
// A quote this long that occurs once is specific enough even when its surroundings changed.
const UNIQUE_QUOTE_MIN_LENGTH = 8;
const MIN_FUZZY_QUOTE_LENGTH = 8;
const MAX_FUZZY_WORK = 4_000_000; // text length × quote length before fuzzy search gives up

/**
 * Selectors (UTF-16 offsets into `sentText`) for every highlightable span of a service Document:
 * each annotation, plus glossary mentions that no annotation already covers.
 * Returns {selectors, glossaryTargets} where glossaryTargets[i] lists the selector ids of entry i.
 */
export function selectorsFromDocument(doc, sentText) {
  const toUtf16 = codePointToUtf16(sentText);
  const selectors = [];
  const bySpan = new Map();
  const make = (id, type, label, cpStart, cpEnd, exact, prefix, suffix) => {
    const start = toUtf16(cpStart);
    const end = toUtf16(cpEnd);
    const sel = {
      id,
      type,
      label,
      start,
      end,
      exact: exact ?? sentText.slice(start, end),
      // The service sends prefix/suffix; derive them for mentions (and older responses).
      prefix: prefix ?? sentText.slice(Math.max(0, start - CONTEXT_CHARS), start),
      suffix: suffix ?? sentText.slice(end, end + CONTEXT_CHARS),
    };
    selectors.push(sel);
    bySpan.set(`${cpStart}:${cpEnd}`, sel.id);
    return sel;
  };
  for (const a of doc.annotations ?? []) {
    make(a.id, a.type, a.label, a.start, a.end, a.exact, a.prefix || undefined, a.suffix || undefined);
  }
  const glossaryTargets = (doc.glossary ?? []).map((entry, i) =>
    (entry.mentions ?? []).map((m, j) => {
      const existing = bySpan.get(`${m.start}:${m.end}`);
      if (existing) return existing;
      return make(`g${i}m${j}`, "glossary", "mention", m.start, m.end).id;
    }),
  );
  return { selectors, glossaryTargets };
}

/** Places every selector in `text`. Returns {placed: [{id, start, end, method}], orphans: [id]}. */
export function anchorAll(selectors, text, sentText) {
  const placed = [];
  const orphans = [];
  const sameText = text === sentText;
  for (const sel of selectors) {
    const hit = anchorSelector(sel, text, sameText);
    if (hit) placed.push({ id: sel.id, ...hit });
    else orphans.push(sel.id);
  }
  return { placed, orphans };
}

/** One selector: {start, end, method} or null when it cannot be placed confidently. */
export function anchorSelector(sel, text, sameText = false) {
  if (!sel.exact) return null;
  if (text.slice(sel.start, sel.end) === sel.exact) {
    // Unchanged text: the service's offsets are authoritative. Changed text: the same words at the
    // same offset must still sit in the same context, or it is a coincidence.
    const ctx = contextSimilarity(sel, text, sel.start, sel.end);
    if (sameText || ctx === null || ctx >= MIN_CONTEXT_SIMILARITY) {
      return { start: sel.start, end: sel.end, method: "position" };
    }
  }
  return quoteMatch(sel, text) ?? fuzzyMatch(sel, text);
}

function quoteMatch(sel, text) {
  const hits = exactOccurrences(text, sel.exact);
  if (!hits.length) return null;
  const scored = hits
    .map((start) => {
      const end = start + sel.exact.length;
      const ctx = contextSimilarity(sel, text, start, end);
      return { start, end, ctx, score: rank(ctx, start, sel.start, text.length) };
    })
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  const unique = scored.length === 1;
  const confident =
    (best.ctx !== null && best.ctx >= MIN_CONTEXT_SIMILARITY) ||
    (unique && (best.ctx === null || sel.exact.length >= UNIQUE_QUOTE_MIN_LENGTH));
  // Two equally good places for a short quote: refuse to guess.
  const ambiguous = second && best.score - second.score < 0.02 && (best.ctx ?? 0) < 0.9;
  if (!confident || ambiguous) return null;
  return { start: best.start, end: best.end, method: "quote" };
}

function fuzzyMatch(sel, text) {
  const quote = sel.exact;
  if (quote.length < MIN_FUZZY_QUOTE_LENGTH) return null;
  const budget = Math.min(16, Math.max(1, Math.floor(quote.length / 10)));
  // Look near the expected place first; the whole text only when that stays cheap.
  const margin = 2000 + quote.length * 4;
  let hits = approxOccurrences(text, quote, budget, Math.max(0, sel.start - margin), Math.min(text.length, sel.end + margin));
  if (!hits.length && text.length * quote.length <= MAX_FUZZY_WORK) {
    hits = approxOccurrences(text, quote, budget);
  }
  const scored = hits
    .map((h) => ({ ...h, ctx: contextSimilarity(sel, text, h.start, h.end) }))
    // An approximate quote needs its context to confirm it.
    .filter((h) => h.ctx === null ? h.errors === 0 : h.ctx >= MIN_CONTEXT_SIMILARITY)
    .map((h) => ({ ...h, score: rank(h.ctx, h.start, sel.start, text.length) - h.errors / quote.length }))
    .sort((a, b) => b.score - a.score);
  if (!scored.length) return null;
  return { start: scored[0].start, end: scored[0].end, method: "fuzzy" };
}

/** Mean similarity of the text around [start, end) to the selector's prefix/suffix; null if it has none. */
function contextSimilarity(sel, text, start, end) {
  const parts = [];
  if (sel.prefix) parts.push(similarity(text.slice(Math.max(0, start - sel.prefix.length), start), sel.prefix));
  if (sel.suffix) parts.push(similarity(text.slice(end, end + sel.suffix.length), sel.suffix));
  return parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : null;
}

// hypothesis weights: context matters ten times more than closeness to the old position.
function rank(ctx, start, expected, textLength) {
  const closeness = 1 - Math.min(1, Math.abs(start - expected) / Math.max(1, textLength));
  return ((ctx ?? 0.5) * 40 + closeness * 2) / 42;
}
