// Reader settings, kept in chrome.storage.local (never synced: the token stays on this machine).

export const DEFAULT_SERVICE_URL = "http://127.0.0.1:8765";

const DEFAULTS = { serviceUrl: DEFAULT_SERVICE_URL, token: "", alwaysSites: [] };

export async function loadSettings() {
  const stored = await chrome.storage.local.get(Object.keys(DEFAULTS));
  return { ...DEFAULTS, ...stored, serviceUrl: normaliseServiceUrl(stored.serviceUrl) };
}

export async function saveSettings(changes) {
  const clean = { ...changes };
  if ("serviceUrl" in clean) clean.serviceUrl = normaliseServiceUrl(clean.serviceUrl);
  if ("token" in clean) clean.token = String(clean.token ?? "").trim();
  await chrome.storage.local.set(clean);
}

/** "http://127.0.0.1:8765/" → "http://127.0.0.1:8765"; anything unusable → the default. */
export function normaliseServiceUrl(value) {
  if (serviceUrlProblem(value)) return DEFAULT_SERVICE_URL;
  const url = new URL(String(value ?? "").trim() || DEFAULT_SERVICE_URL);
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** Why a typed service URL cannot be used, or null. ("localhost:9000" parses as a URL of scheme "localhost:".) */
export function serviceUrlProblem(value) {
  const typed = String(value ?? "").trim();
  if (!typed) return null; // empty: the default
  try {
    const url = new URL(typed);
    if (url.protocol === "http:" || url.protocol === "https:") return null;
  } catch {
    // fall through
  }
  return `the service URL must start with http:// or https:// (for example ${DEFAULT_SERVICE_URL})`;
}

/** Why a token cannot be sent in an HTTP header, or null. `readctx token` prints URL-safe ASCII. */
export function tokenProblem(token) {
  return /^[\x21-\x7e]*$/.test(String(token ?? "").trim())
    ? null
    : "the token holds characters it cannot have (spaces, line breaks or typographic quotes from copying?); " +
        "paste exactly the line that readctx token prints";
}

/** The match pattern for a host permission covering `url`'s origin (any port, as Chrome matches). */
export function originPattern(url) {
  const { protocol, hostname } = new URL(url);
  const host = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  return `${protocol}//${host}/*`;
}
