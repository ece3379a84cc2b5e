// Anchoring: turn the service's annotations into selectors over the text that was sent, then
// place each selector in the text the page shows now. The approach follows hypothesis/client
// (dom-anchor-text-position + dom-anchor-text-quote): trust the position when the quote is still
// there, else search for the quote and rank hits by prefix/suffix context and distance, else an
// approximate match with a small edit budget. A selector that cannot be placed confidently is an
// orphan: the reader sees it listed, never highlighted on the wrong words.

import { codePointToUtf16, isHighSurrogate, isLowSurrogate } from "./codepoints.js";
import { approxOccurrences, exactOccurrences, similarity } from "./match.js";

const CONTEXT_CHARS = 32;
const MIN_CONTEXT_SIMILARITY = 0.5;
// A quote this long that occurs once, now and in the text that was sent, is specific enough even when its
// surroundings changed. (Unique only now is not enough: the annotated copy may be the one that was removed.)
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
  for (const sel of selectors) {
    const hit = anchorSelector(sel, text, sentText);
    if (hit) placed.push({ id: sel.id, ...hit });
    else orphans.push(sel.id);
  }
  return { placed, orphans };
}

/**
 * One selector: {start, end, method} or null when it cannot be placed confidently. `sentText` is the text
 * the selector was made from (null when unknown, which forbids placing a quote on uniqueness alone).
 */
export function anchorSelector(sel, text, sentText = null) {
  if (!sel.exact) return null;
  const sameText = text === sentText;
  if (text.slice(sel.start, sel.end) === sel.exact) {
    // Unchanged text: the service's offsets are authoritative. Changed text: the same words at the
    // same offset must still sit in the same context, or it is a coincidence.
    const ctx = contextSimilarity(sel, text, sel.start, sel.end);
    if (sameText || ctx === null || ctx >= MIN_CONTEXT_SIMILARITY) {
      return { start: sel.start, end: sel.end, method: "position" };
    }
  }
  const uniqueWhenSent = sentText !== null && exactOccurrences(sentText, sel.exact, 2).length === 1;
  const quote = quoteMatch(sel, text, uniqueWhenSent);
  if (quote?.confirmedByContext) return quote.hit;
  // A place its context confirms, even if approximate, beats an exact quote that is merely unique: the
  // annotated words may have been edited and the same words written elsewhere.
  return fuzzyMatch(sel, text) ?? quote?.hit ?? null;
}

function quoteMatch(sel, text, uniqueWhenSent) {
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
  const unique = scored.length === 1 && uniqueWhenSent;
  const confirmedByContext = best.ctx !== null && best.ctx >= MIN_CONTEXT_SIMILARITY;
  const confident =
    confirmedByContext || (unique && (best.ctx === null || sel.exact.length >= UNIQUE_QUOTE_MIN_LENGTH));
  // Two equally good places for a short quote: refuse to guess.
  const ambiguous = second && best.score - second.score < 0.02 && (best.ctx ?? 0) < 0.9;
  if (!confident || ambiguous) return null;
  return { hit: { start: best.start, end: best.end, method: "quote" }, confirmedByContext };
}

function fuzzyMatch(sel, text) {
  const quote = sel.exact;
  if (quote.length < MIN_FUZZY_QUOTE_LENGTH) return null;
  const budget = Math.min(16, Math.max(1, Math.floor(quote.length / 10)));
  // Look near the expected place first; the whole text when nothing there is confirmed by its context
  // (a near copy with the wrong context must not hide the real place further away), if that stays cheap.
  const margin = 2000 + quote.length * 4;
  const from = Math.max(0, sel.start - margin);
  const to = Math.min(text.length, sel.end + margin);
  let scored = confirmedHits(sel, text, approxOccurrences(text, quote, budget, from, to));
  const windowIsWholeText = from === 0 && to === text.length;
  if (!scored.length && !windowIsWholeText && text.length * quote.length <= MAX_FUZZY_WORK) {
    scored = confirmedHits(sel, text, approxOccurrences(text, quote, budget));
  }
  if (!scored.length) return null;
  return { start: scored[0].start, end: scored[0].end, method: "fuzzy" };
}

/** Approximate hits whose context confirms them, snapped to whole characters, best first. */
function confirmedHits(sel, text, hits) {
  return hits
    .map((h) => ({ ...h, ...wholeCharacters(text, h.start, h.end) }))
    .map((h) => ({ ...h, ctx: contextSimilarity(sel, text, h.start, h.end) }))
    // An approximate quote needs its context to confirm it.
    .filter((h) => (h.ctx === null ? h.errors === 0 : h.ctx >= MIN_CONTEXT_SIMILARITY))
    .map((h) => ({ ...h, score: rank(h.ctx, h.start, sel.start, text.length) - h.errors / sel.exact.length }))
    .sort((a, b) => b.score - a.score);
}

/** [start, end) widened so that neither edge splits a surrogate pair (an emoji cut in half). */
function wholeCharacters(text, start, end) {
  const low = (i) => i > 0 && i < text.length && isLowSurrogate(text.charCodeAt(i)) && isHighSurrogate(text.charCodeAt(i - 1));
  return { start: low(start) ? start - 1 : start, end: low(end) ? end + 1 : end };
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
