// Settings page: service URL and token (chrome.storage.local), the plain statement of what is
// sent where, and the list of "always" sites.

import { h } from "../lib/dom.js";
import {
  DEFAULT_SERVICE_URL, loadSettings, normaliseServiceUrl, originPattern, saveSettings, serviceUrlProblem, tokenProblem,
} from "../lib/settings.js";

const $ = (id) => document.getElementById(id);
const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/;

async function init() {
  const settings = await loadSettings();
  $("service-url").value = settings.serviceUrl;
  $("token").value = settings.token;
  $("serve-command").textContent = `readctx serve --cors-origin ${chrome.runtime.getURL("").replace(/\/$/, "")}`;
  describePrivacy(settings.serviceUrl);
  renderAlwaysSites(settings.alwaysSites);
  $("service-url").addEventListener("input", (e) => describePrivacy(normaliseServiceUrl(e.target.value)));
  $("show-token").addEventListener("click", toggleTokenVisibility);
  $("settings").addEventListener("submit", save);
}

function describePrivacy(serviceUrl) {
  $("privacy").textContent =
    `When you ask, readctx sends the visible article text of the page, its URL and title, to ${serviceUrl}; ` +
    "nothing else, nowhere else.";
}

function toggleTokenVisibility(e) {
  const input = $("token");
  const show = input.type === "password";
  input.type = show ? "text" : "password";
  e.target.textContent = show ? "Hide" : "Show";
  e.target.setAttribute("aria-pressed", String(show));
}

function save(e) {
  e.preventDefault();
  const problem = serviceUrlProblem($("service-url").value) ?? tokenProblem($("token").value);
  if (problem) {
    $("saved").textContent = `Not saved: ${problem}.`;
    return;
  }
  const serviceUrl = normaliseServiceUrl($("service-url").value || DEFAULT_SERVICE_URL);
  // A service off this machine needs its own host permission; ask while the click counts as consent.
  const permission = LOOPBACK.test(serviceUrl)
    ? Promise.resolve(true)
    : chrome.permissions.request({ origins: [originPattern(serviceUrl)] });
  permission.then(async (granted) => {
    if (!granted) {
      $("saved").textContent = `Not saved: readctx needs your permission to reach ${serviceUrl}.`;
      return;
    }
    await saveSettings({ serviceUrl, token: $("token").value });
    $("service-url").value = serviceUrl;
    describePrivacy(serviceUrl);
    $("saved").textContent = "Saved.";
  });
}

function renderAlwaysSites(sites) {
  const list = $("always-sites");
  if (!sites.length) {
    list.replaceChildren(h("li", { className: "hint" }, "None."));
    return;
  }
  list.replaceChildren(...sites.map((pattern) => h("li", {},
    pattern.replace(/\/\*$/, ""),
    " ",
    h("button", { type: "button", onclick: () => removeSite(pattern) }, "Remove"))));
}

async function removeSite(pattern) {
  const { alwaysSites } = await loadSettings();
  const next = alwaysSites.filter((p) => p !== pattern);
  await saveSettings({ alwaysSites: next });
  await chrome.permissions.remove({ origins: [pattern] }).catch(() => false);
  renderAlwaysSites(next);
}

init();
