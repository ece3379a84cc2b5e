// The service counts offsets in Unicode code points (Python str indices); JavaScript strings are
// UTF-16, where astral characters (most emoji, rare CJK) take two units. Convert once per text.

/** Returns a function mapping a code point offset in `text` to a UTF-16 offset (clamped to the end). */
export function codePointToUtf16(text) {
  // Fast path: no surrogate pairs means the two counts agree.
  if (!/[\uD800-\uDBFF]/.test(text)) return (cp) => Math.max(0, Math.min(cp, text.length));
  const units = [];
  let i = 0;
  for (const ch of text) {
    units.push(i);
    i += ch.length;
  }
  units.push(i);
  return (cp) => units[Math.max(0, Math.min(cp, units.length - 1))];
}

export const isHighSurrogate = (unit) => unit >= 0xd800 && unit <= 0xdbff;
export const isLowSurrogate = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

/** Number of code points in a string (what the service calls its length). */
export function codePointLength(text) {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}
