// What the page needs to draw a highlight and its tooltip, derived from a tab's state.
// Only plain strings travel to the content script, which renders them with textContent.

import { isHighSurrogate } from "./codepoints.js";
import { labelName, SOURCE_KIND_NAMES, TYPE_NAMES } from "./labels.js";

const CLAIM_CHARS = 160;

export function highlightItems(state) {
  const selectors = new Map(state.selectors.map((s) => [s.id, s]));
  const annotations = new Map((state.doc.annotations ?? []).map((a) => [a.id, a]));
  const entryOf = glossaryEntryBySelector(state);
  return state.placed.map((p) => {
    const sel = selectors.get(p.id);
    const base = { id: p.id, start: p.start, end: p.end, type: sel.type, label: sel.label };
    const annotation = annotations.get(p.id);
    const entry = entryOf.get(p.id);
    return { ...base, ...describe(annotation, entry) };
  });
}

function describe(annotation, entry) {
  if (!annotation) {
    return {
      labelText: `${TYPE_NAMES.glossary}: ${entry?.term ?? ""}`,
      confidence: null,
      details: glossaryLines(entry),
    };
  }
  const details = [annotation.explanation].filter(Boolean);
  if (annotation.source?.exact) {
    const kind = SOURCE_KIND_NAMES[annotation.source_kind];
    details.push(`Source: ${annotation.source.exact}${kind ? ` (${kind})` : ""}`);
  }
  if (annotation.content?.exact) details.push(`Claim: ${truncate(annotation.content.exact, CLAIM_CHARS)}`);
  if (entry) details.push(...glossaryLines(entry));
  return {
    labelText: `${labelName(annotation.label)} (${TYPE_NAMES[annotation.type] ?? annotation.type})`,
    confidence: typeof annotation.confidence === "number" ? annotation.confidence : null,
    details,
  };
}

function glossaryLines(entry) {
  if (!entry) return [];
  return [entry.expansion, entry.description].filter((s) => typeof s === "string" && s);
}

/** selector id → glossary entry whose mention it is. */
export function glossaryEntryBySelector(state) {
  const map = new Map();
  (state.glossaryTargets ?? []).forEach((ids, i) => {
    for (const id of ids) map.set(id, state.doc.glossary[i]);
  });
  return map;
}

export function truncate(text, max) {
  if (text.length <= max) return text;
  const cut = isHighSurrogate(text.charCodeAt(max - 2)) ? max - 2 : max - 1; // never half an emoji
  return `${text.slice(0, cut)}…`;
}
