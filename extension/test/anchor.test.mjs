// Unit tests of the anchoring code: node --test extension/test/
import assert from "node:assert/strict";
import { test } from "node:test";

import { anchorAll, anchorSelector, selectorsFromDocument } from "../lib/anchor.js";
import { codePointLength, codePointToUtf16 } from "../lib/codepoints.js";
import { truncate } from "../lib/items.js";
import { approxOccurrences, similarity } from "../lib/match.js";

const TEXT =
  "GENEVA (Reuters) - Two senior officials said on Tuesday that the talks would resume next week. " +
  "The IAEA, the UN nuclear watchdog, said inspections could start soon. Officials said little else.";

/** A service-style annotation over `text` (offsets in code points, like the service). */
function annotation(text, id, exact, occurrence = 0, extra = {}) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(exact, at + 1);
  const cpStart = codePointLength(text.slice(0, at));
  const cpEnd = cpStart + codePointLength(exact);
  return {
    id, type: "sourcing", label: "attribution", start: cpStart, end: cpEnd, exact,
    prefix: text.slice(Math.max(0, at - 32), at), suffix: text.slice(at + exact.length, at + exact.length + 32),
    confidence: 0.9, explanation: "", ...extra,
  };
}

test("code point offsets become UTF-16 offsets around emoji and astral characters", () => {
  const text = "😀 héllo 𝒳 world";
  const toUtf16 = codePointToUtf16(text);
  // "world" starts at code point 10 but UTF-16 unit 12 (two surrogate pairs before it).
  assert.equal(toUtf16(10), 12);
  assert.equal(text.slice(toUtf16(10), toUtf16(15)), "world");
  assert.equal(codePointToUtf16("plain")(3), 3);
});

test("unchanged text: annotations land at their positions", () => {
  const doc = { annotations: [annotation(TEXT, "a1", "said"), annotation(TEXT, "a2", "IAEA")] };
  const { selectors } = selectorsFromDocument(doc, TEXT);
  const { placed, orphans } = anchorAll(selectors, TEXT, TEXT);
  assert.deepEqual(orphans, []);
  for (const p of placed) assert.equal(TEXT.slice(p.start, p.end), selectors.find((s) => s.id === p.id).exact);
  assert.equal(placed[0].start, TEXT.indexOf("said"));
});

test("offsets after emoji and Arabic/Chinese text are converted, not taken as UTF-16", () => {
  const text = `عاجل 🚨 突发新闻 🌍🌍 — ${TEXT}`;
  const doc = { annotations: [annotation(text, "a1", "said", 1), annotation(text, "a2", "IAEA")] };
  const { selectors } = selectorsFromDocument(doc, text);
  const { placed } = anchorAll(selectors, text, text);
  assert.equal(placed.length, 2);
  assert.equal(placed[0].start, text.indexOf("said", text.indexOf("said") + 1));
  assert.equal(text.slice(placed[1].start, placed[1].end), "IAEA");
});

test("text inserted before the quote: found again by its context", () => {
  const doc = { annotations: [annotation(TEXT, "a1", "said", 1)] };
  const { selectors } = selectorsFromDocument(doc, TEXT);
  const changed = `Updated 10:42 GMT. Live coverage follows.\n\n${TEXT}`;
  const { placed } = anchorAll(selectors, changed, TEXT);
  assert.equal(placed[0].method, "quote");
  // The second "said" (after IAEA), not the first, which has different context.
  assert.equal(placed[0].start, changed.indexOf("said", changed.indexOf("IAEA")));
});

test("a slightly edited quote is found by approximate matching", () => {
  const doc = { annotations: [annotation(TEXT, "a1", "the talks would resume next week")] };
  const { selectors } = selectorsFromDocument(doc, TEXT);
  const changed = TEXT.replace("the talks would resume", "the talks could resume");
  const hit = anchorSelector(selectors[0], changed);
  assert.equal(hit.method, "fuzzy");
  assert.equal(changed.slice(hit.start, hit.end), "the talks could resume next week");
});

test("a quote that is gone becomes an orphan, never a wrong highlight", () => {
  const doc = { annotations: [annotation(TEXT, "a1", "inspections could start soon"), annotation(TEXT, "a2", "said", 2)] };
  const { selectors } = selectorsFromDocument(doc, TEXT);
  const changed = "GENEVA - A spokesperson said nothing about the schedule on Tuesday at all.";
  const { placed, orphans } = anchorAll(selectors, changed, TEXT);
  assert.deepEqual(placed, []);
  assert.deepEqual(orphans, ["a1", "a2"]);
});

test("a short quote in two equally plausible places is not guessed", () => {
  const sel = { id: "x", start: 500, end: 504, exact: "said", prefix: "zzzz ", suffix: " qqqq" };
  assert.equal(anchorSelector(sel, "He said yes. She said no."), null);
});

test("glossary mentions become selectors unless an annotation covers them", () => {
  const a = { ...annotation(TEXT, "g1", "IAEA"), type: "glossary", label: "acronym" };
  const cp = TEXT.indexOf("Officials");
  const doc = {
    annotations: [a],
    glossary: [
      { term: "IAEA", mentions: [{ start: a.start, end: a.end }] },
      { term: "Officials", mentions: [{ start: cp, end: cp + 9 }] },
    ],
  };
  const { selectors, glossaryTargets } = selectorsFromDocument(doc, TEXT);
  assert.deepEqual(glossaryTargets, [["g1"], ["g1m0"]]);
  assert.equal(selectors.find((s) => s.id === "g1m0").exact, "Officials");
});

test("approximate search reports the best alignment and its start", () => {
  const hits = approxOccurrences("xx the quick brwn fox yy", "the quick brown fox", 2);
  assert.equal(hits.length, 1);
  assert.equal(hits[0].start, 3);
  assert.equal(hits[0].errors, 1);
  assert.ok(similarity("abc", "abd") > 0.6);
});

test("a quote that appeared twice when sent is not placed on the copy that is left", () => {
  const first = "Early on Monday the police confirmed the arrests according to Reuters reporters at the scene.";
  const sent = `${first}\n\nLater, the army spokesman denied any role, according to Reuters, in a brief statement.`;
  const doc = { annotations: [annotation(sent, "a7", "according to Reuters", 1)] };
  const { selectors } = selectorsFromDocument(doc, sent);
  const changed = `${first}\n\nThe paragraph about the army was removed.`;
  assert.deepEqual(anchorAll(selectors, changed, sent), { placed: [], orphans: ["a7"] });
  // Unique when sent, and still unique: placed even though its context changed.
  const once = "The army said so, according to Reuters news agency, on Monday.";
  const single = selectorsFromDocument({ annotations: [annotation(once, "b1", "according to Reuters")] }, once);
  const moved = "Updated. The army, according to Reuters sources, said so.";
  assert.equal(anchorAll(single.selectors, moved, once).placed[0].start, moved.indexOf("according to Reuters"));
});

test("a near copy with the wrong context near the old place does not stop the search further away", () => {
  const filler = "Unrelated paragraph about the weather and the markets today. ".repeat(50);
  const sent = `${filler}The minister said the talks would resume next week in Geneva, officials added.`;
  const doc = { annotations: [annotation(sent, "a1", "the talks would resume next week")] };
  const { selectors } = selectorsFromDocument(doc, sent);
  const blog = "LIVE: so the talks would resume next weeks, a blogger guessed wildly in the comments. ";
  const changed = `${filler.slice(0, 2500)}${blog}${filler.slice(2500)}${"Another filler line here. ".repeat(120)}` +
    "The minister said the talks could resume next week in Geneva, officials added.";
  const hit = anchorSelector(selectors[0], changed, sent);
  assert.equal(hit.method, "fuzzy");
  assert.equal(changed.slice(hit.start, hit.end), "the talks could resume next week");
});

test("an approximate match never starts or ends inside an emoji", () => {
  const sent = "Players shared their #Wordle grids all day, the company said on Monday.";
  const doc = { annotations: [annotation(sent, "a1", "#Wordle grids all day")] };
  const { selectors } = selectorsFromDocument(doc, sent);
  const changed = "Players shared their \u{1F7E9}Wordle grids all day, the company said on Monday.";
  const hit = anchorSelector(selectors[0], changed, sent);
  assert.equal(changed.slice(hit.start, hit.end), "\u{1F7E9}Wordle grids all day");
  assert.equal(changed.slice(hit.start, hit.end).isWellFormed(), true);
});

test("truncation never keeps half an emoji", () => {
  assert.equal(truncate(`${"x".repeat(138)}\u{1F600}\u{1F600} end`, 140), `${"x".repeat(138)}…`);
  assert.equal(truncate("short", 140), "short");
});
