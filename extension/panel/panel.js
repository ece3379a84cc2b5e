// The sidebar (Chrome side panel, Firefox sidebar, or a tab opened as sidepanel.html?tab=ID).
// It shows the state the service worker stored for one tab and follows its changes.

import { loadSettings, originPattern, saveSettings } from "../lib/settings.js";
import { getState, stateKey } from "../lib/state.js";
import {
  renderAlways, renderError, renderFilters, renderGlossary, renderOrphans, renderSourcing,
  renderSummary, renderSyndication, viewOf,
} from "./render.js";

const $ = (id) => document.getElementById(id);
const pinnedTab = Number.parseInt(new URLSearchParams(location.search).get("tab") ?? "", 10);
let tabId = Number.isInteger(pinnedTab) ? pinnedTab : null;
let hiddenTypes = [];
const mentionCursor = new Map(); // glossary entry targets → index of the mention shown last

async function init() {
  ({ hiddenTypes = [] } = await chrome.storage.local.get("hiddenTypes"));
  if (tabId === null) tabId = await activeTabId();
  $("annotate").addEventListener("click", annotate);
  $("open-settings").addEventListener("click", (e) => {
    e.preventDefault();
    chrome.runtime.openOptionsPage();
  });
  document.body.addEventListener("click", (e) => {
    const item = e.target instanceof Element ? e.target.closest("button.item[data-id]") : null;
    if (item) focus(item.dataset.id);
  });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && tabId !== null && stateKey(tabId) in changes) render();
  });
  if (!Number.isInteger(pinnedTab)) {
    // A real side panel follows the reader from tab to tab, in its own window only.
    const { id: windowId } = await chrome.windows.getCurrent();
    chrome.tabs.onActivated.addListener((info) => {
      if (info.windowId !== windowId) return;
      tabId = info.tabId;
      render();
    });
  }
  await render();
}

async function activeTabId() {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function annotate() {
  if (tabId === null) return;
  // The reply is not needed: the stored state drives the display.
  chrome.runtime.sendMessage({ type: "readctx:annotate", tabId }).catch(() => {});
}

function focus(id) {
  chrome.tabs.sendMessage(tabId, { type: "readctx:focus", id }, { frameId: 0 }).catch(() => {});
}

function focusNext(targets) {
  const key = targets.join(" ");
  const next = ((mentionCursor.get(key) ?? -1) + 1) % targets.length;
  mentionCursor.set(key, next);
  focus(targets[next]);
}

let renderSeq = 0;

async function render() {
  // Storage changes arrive in bursts; only the newest render may touch the page.
  const seq = ++renderSeq;
  const state = tabId === null ? { status: "idle" } : await getState(tabId);
  if (seq !== renderSeq) return;
  document.body.dataset.status = state.status;
  $("annotate").disabled = state.status === "working";
  $("status").textContent = statusText(state);
  const errorBox = $("error");
  errorBox.hidden = state.status !== "error";
  errorBox.replaceChildren(...(state.status === "error"
    ? renderError(state.error ?? {}, { onSettings: () => chrome.runtime.openOptionsPage() }).filter(Boolean)
    : []));
  $("result").hidden = state.status !== "done";
  if (state.status === "done") await renderResult(state, seq);
}

function statusText(state) {
  switch (state.status) {
    case "working": return "Reading the page and asking the readctx service…";
    case "done": return `Annotated: ${state.title || state.url || "this page"}`;
    case "error": return "";
    default:
      return "Nothing has been sent yet. Press “Annotate this page” (or Alt+Shift+R) to send this page's article text to your readctx service.";
  }
}

async function renderResult(state, seq) {
  const view = viewOf(state);
  $("summary").replaceChildren(...renderSummary(view).filter(Boolean));
  $("filters").replaceChildren(...renderFilters(hiddenTypes, setHidden));
  $("sourcing").replaceChildren(...renderSourcing(view).filter(Boolean));
  $("syndication").replaceChildren(...renderSyndication(view).filter(Boolean));
  $("glossary").replaceChildren(...renderGlossary(view, { onFocusNext: focusNext }).filter(Boolean));
  $("orphans").replaceChildren(...renderOrphans(view));
  $("orphans").hidden = !state.orphans.length;
  applyHidden();
  const pattern = /^https?:/.test(state.url ?? "") ? originPattern(state.url) : null;
  const { alwaysSites } = await loadSettings();
  if (seq !== renderSeq) return;
  $("always").replaceChildren(...renderAlways(pattern, alwaysSites.includes(pattern), (on, box) =>
    toggleAlways(pattern, on, box)));
}

async function setHidden(type, hidden) {
  hiddenTypes = hidden ? [...new Set([...hiddenTypes, type])] : hiddenTypes.filter((t) => t !== type);
  await chrome.storage.local.set({ hiddenTypes });
  applyHidden();
}

function applyHidden() {
  for (const el of document.querySelectorAll("section[data-type]")) el.hidden = hiddenTypes.includes(el.dataset.type);
  if (tabId !== null) {
    chrome.tabs.sendMessage(tabId, { type: "readctx:filter", hiddenTypes }, { frameId: 0 }).catch(() => {});
  }
}

// "Always" needs access to the site: ask for it now, while the reader's click counts as consent.
function toggleAlways(pattern, on, box) {
  const request = on ? chrome.permissions.request({ origins: [pattern] }) : Promise.resolve(true);
  request.then(async (granted) => {
    const { alwaysSites } = await loadSettings();
    const next = on && granted ? [...new Set([...alwaysSites, pattern])] : alwaysSites.filter((p) => p !== pattern);
    await saveSettings({ alwaysSites: next });
    if (!on) await chrome.permissions.remove({ origins: [pattern] }).catch(() => false);
    box.checked = on && granted;
  }, () => {
    box.checked = false;
  });
}

init();
