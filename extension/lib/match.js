// String similarity and approximate substring search used to re-find a quote in changed text.
// Plain dynamic programming: quotes are short (a few words) and only re-anchoring after a page
// change needs it, so clarity wins over bit-parallel tricks (hypothesis uses Myers' algorithm).

/** Levenshtein distance between two short strings. */
export function editDistance(a, b) {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j - 1] + cost, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** 1 for equal strings, towards 0 as they differ (edit distance over the longer length). */
export function similarity(a, b) {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}

/** Every index where `needle` occurs in `text` (at most `limit`). */
export function exactOccurrences(text, needle, limit = 1000) {
  const found = [];
  if (!needle) return found;
  for (let i = text.indexOf(needle); i !== -1 && found.length < limit; i = text.indexOf(needle, i + 1)) {
    found.push(i);
  }
  return found;
}

/**
 * Approximate occurrences of `pattern` in text[from, to) with at most `maxErrors` edits
 * (Sellers' algorithm, tracking where each alignment starts). Overlapping hits are reduced to the
 * one with the fewest errors. Returns [{start, end, errors}].
 */
export function approxOccurrences(text, pattern, maxErrors, from = 0, to = text.length) {
  const m = pattern.length;
  if (!m) return [];
  let cost = Int32Array.from({ length: m + 1 }, (_, i) => i);
  let start = new Int32Array(m + 1).fill(from);
  let nextCost = new Int32Array(m + 1);
  let nextStart = new Int32Array(m + 1);
  const hits = [];
  for (let j = from; j < to; j++) {
    const c = text[j];
    nextCost[0] = 0;
    nextStart[0] = j + 1;
    for (let i = 1; i <= m; i++) {
      let best = cost[i - 1] + (pattern[i - 1] === c ? 0 : 1);
      let bestStart = start[i - 1];
      if (cost[i] + 1 < best) {
        best = cost[i] + 1;
        bestStart = start[i];
      }
      if (nextCost[i - 1] + 1 < best) {
        best = nextCost[i - 1] + 1;
        bestStart = nextStart[i - 1];
      }
      nextCost[i] = best;
      nextStart[i] = bestStart;
    }
    if (nextCost[m] <= maxErrors) hits.push({ start: nextStart[m], end: j + 1, errors: nextCost[m] });
    [cost, nextCost] = [nextCost, cost];
    [start, nextStart] = [nextStart, start];
  }
  return bestNonOverlapping(hits);
}

function bestNonOverlapping(hits) {
  const byQuality = [...hits].sort((a, b) => a.errors - b.errors || b.end - b.start - (a.end - a.start));
  const kept = [];
  for (const hit of byQuality) {
    if (kept.every((k) => hit.end <= k.start || hit.start >= k.end)) kept.push(hit);
  }
  return kept.sort((a, b) => a.start - b.start);
}
