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
  try {
    const url = new URL(String(value ?? "").trim() || DEFAULT_SERVICE_URL);
    if (url.protocol !== "http:" && url.protocol !== "https:") return DEFAULT_SERVICE_URL;
    return url.origin + url.pathname.replace(/\/+$/, "");
  } catch {
    return DEFAULT_SERVICE_URL;
  }
}

/** The match pattern for a host permission covering `url`'s origin (any port, as Chrome matches). */
export function originPattern(url) {
  const { protocol, hostname } = new URL(url);
  const host = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  return `${protocol}//${host}/*`;
}
