// Builds the sidebar's sections from a tab's state. Pure DOM construction through h(), so every
// string from the service is a text node.

import { h } from "../lib/dom.js";
import { truncate } from "../lib/items.js";
import { labelName, SOURCE_KIND_NAMES, TYPE_NAMES, TYPES } from "../lib/labels.js";

const SOURCING_LABELS = ["attribution", "vague_source", "hedge"];
const QUOTE_CHARS = 140;

/** Read-only view over a "done" state, shared by the section builders. */
export function viewOf(state) {
  const placed = new Set(state.placed.map((p) => p.id));
  const annotations = state.doc.annotations ?? [];
  return {
    state,
    doc: state.doc,
    placed,
    annotations,
    byId: new Map(annotations.map((a) => [a.id, a])),
    selectors: new Map(state.selectors.map((s) => [s.id, s])),
  };
}

export function renderError(error, { onSettings }) {
  return [
    h("h2", {}, error.title ?? "Something went wrong"),
    error.detail ? h("p", {}, error.detail) : null,
    error.command ? h("pre", { className: "command" }, h("code", {}, error.command)) : null,
    error.settings ? h("button", { type: "button", onclick: onSettings }, "Open settings") : null,
  ];
}

export function renderSummary(view) {
  const { doc, annotations, state } = view;
  const syn = doc.syndication ?? {};
  const count = (type) => annotations.filter((a) => a.type === type).length;
  const glossaryCount = (doc.glossary ?? []).length;
  const counts = [
    plural(count("sourcing"), "sourcing cue"),
    plural(count("syndication"), "syndication cue"),
    plural(glossaryCount, "glossary term"),
  ];
  if (state.orphans.length) counts.push(`${state.orphans.length} not found in the page`);
  return [
    h("h2", { id: "summary-title" }, "Summary"),
    h("p", { className: "republished" },
      h("strong", {}, "Republished: "),
      syn.republished ? "yes" : "no sign of it"),
    syn.origin?.name ? h("p", {}, h("strong", {}, "Origin: "), syn.origin.name, syn.origin.url ? ` (${syn.origin.url})` : "") : null,
    syn.publisher ? h("p", {}, h("strong", {}, "Publisher: "), syn.publisher) : null,
    evidence(view, syn.evidence ?? []),
    matches(syn.matches ?? []),
    h("p", { className: "counts" }, counts.join(" · ")),
    ...(doc.errors ?? []).map((e) =>
      h("p", { className: "degraded" }, `Partial result: the ${e.annotator} step failed (${e.message}).`)),
  ];
}

function evidence(view, ids) {
  const items = ids.map((id) => view.byId.get(id)).filter(Boolean);
  if (!items.length) return null;
  return h("div", { className: "evidence" },
    h("p", {}, h("strong", {}, "Evidence:")),
    h("ul", {}, items.map((a) => h("li", {}, itemButton(view, a)))));
}

function matches(list) {
  if (!list.length) return null;
  return h("div", { className: "matches" },
    h("p", {}, h("strong", {}, `Seen before: ${plural(list.length, "similar article")}`)),
    h("ul", {}, list.map((m) => h("li", {},
      `${m.relation ?? "overlap"}, ${Math.round((m.similarity ?? 0) * 100)}% similar`,
      m.url ? ` — ${m.url}` : ""))));
}

export function renderSourcing(view) {
  const groups = SOURCING_LABELS.map((label) => {
    const items = view.annotations.filter((a) => a.type === "sourcing" && a.label === label && view.placed.has(a.id));
    if (!items.length) return null;
    return h("div", { className: "group", dataset: { label } },
      h("h3", {}, `${labelName(label)} (${items.length})`),
      h("ul", {}, items.map((a) => h("li", {}, itemButton(view, a)))));
  });
  return section("Sourcing cues", groups, "No sourcing cues found.");
}

export function renderSyndication(view) {
  const items = view.annotations.filter((a) => a.type === "syndication" && view.placed.has(a.id));
  return section("Syndication cues", items.length ? h("ul", {}, items.map((a) => h("li", {}, itemButton(view, a)))) : null,
    "No syndication cues found.");
}

export function renderGlossary(view, { onFocusNext }) {
  const entries = view.doc.glossary ?? [];
  const list = entries.map((entry, i) => {
    const targets = (view.state.glossaryTargets[i] ?? []).filter((id) => view.placed.has(id));
    const body = [
      h("span", { className: "term" }, entry.term),
      entry.kind ? h("span", { className: "kind" }, ` ${entry.kind.toLowerCase()}`) : null,
      entry.expansion ? h("span", { className: "expansion" }, entry.expansion) : null,
      entry.description ? h("span", { className: "description" }, truncate(entry.description, 220)) : null,
      h("span", { className: "mentions" }, `Mentioned ${plural((entry.mentions ?? []).length, "time")}`),
    ];
    return h("li", {}, targets.length
      ? h("button", { type: "button", className: "entry", dataset: { term: entry.term }, onclick: () => onFocusNext(targets) }, body)
      : h("div", { className: "entry" }, body));
  });
  return section("Glossary", list.length ? h("ul", {}, list) : null, "No glossary terms found.");
}

export function renderOrphans(view) {
  const ids = view.state.orphans;
  if (!ids.length) return [];
  return [
    h("h2", {}, `Not found in the page (${ids.length})`),
    h("p", { className: "hint" },
      "The page changed since it was read, so these could not be placed and are not highlighted."),
    h("ul", {}, ids.map((id) => {
      const a = view.byId.get(id);
      const sel = view.selectors.get(id);
      return h("li", { className: "orphan", dataset: { id } },
        h("span", { className: "badge", dataset: { type: sel?.type, label: sel?.label } }, labelName(sel?.label)),
        " ",
        h("q", {}, truncate(sel?.exact ?? "", QUOTE_CHARS)),
        a?.explanation ? h("span", { className: "explanation" }, a.explanation) : null);
    })),
  ];
}

export function renderFilters(hiddenTypes, onChange) {
  return [
    h("legend", {}, "Show"),
    ...TYPES.map((type) => h("label", { className: "filter", dataset: { type } },
      h("input", {
        type: "checkbox",
        name: type,
        checked: !hiddenTypes.includes(type),
        onchange: (e) => onChange(type, !e.target.checked),
      }),
      ` ${TYPE_NAMES[type]}`)),
  ];
}

export function renderAlways(pattern, enabled, onToggle) {
  if (!pattern) return [];
  const host = pattern.replace(/^https?:\/\//, "").replace(/\/\*$/, "");
  return [
    h("label", { className: "always" },
      h("input", { type: "checkbox", checked: enabled, onchange: (e) => onToggle(e.target.checked, e.target) }),
      ` Always annotate pages on ${host} (sends each page you open there to your readctx service)`),
  ];
}

/** A clickable cue: scrolls the page to its highlight. */
function itemButton(view, a) {
  const details = [];
  if (a.source?.exact) {
    const kind = SOURCE_KIND_NAMES[a.source_kind];
    details.push(h("span", { className: "source" }, h("b", {}, "Source: "), a.source.exact, kind ? ` (${kind})` : ""));
  }
  if (a.content?.exact) {
    details.push(h("span", { className: "claim" }, h("b", {}, "Claim: "), truncate(a.content.exact, QUOTE_CHARS)));
  }
  if (a.explanation) details.push(h("span", { className: "explanation" }, a.explanation));
  return h("button", { type: "button", className: "item", dataset: { id: a.id, type: a.type, label: a.label } },
    h("span", { className: "badge", dataset: { type: a.type, label: a.label } }, labelName(a.label)),
    " ",
    h("q", {}, truncate(a.exact, QUOTE_CHARS)),
    typeof a.confidence === "number" ? h("span", { className: "confidence" }, ` ${Math.round(a.confidence * 100)}%`) : null,
    details);
}

function section(title, body, empty) {
  const nodes = [body].flat().filter(Boolean);
  return [h("h2", {}, title), ...(nodes.length ? nodes : [h("p", { className: "empty" }, empty)])];
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
