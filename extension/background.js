// Service worker: wires browser events to the annotate flow. Nothing is sent to the service
// unless the reader asks (toolbar button, shortcut, side panel button) or switched a site to
// "always" and granted readctx access to it.

import { annotateTab, reanchorTab } from "./lib/annotate.js";
import { loadSettings, originPattern } from "./lib/settings.js";
import { clearState } from "./lib/state.js";

// Opening the sidebar is only allowed synchronously inside the reader's gesture: no await before.
// Chrome: the window's panel, so it stays open (following the active tab) when switching tabs.
function openSidebar(tab) {
  if (chrome.sidePanel?.open) {
    if (tab?.windowId != null) chrome.sidePanel.open({ windowId: tab.windowId }).catch(() => {});
  } else {
    globalThis.browser?.sidebarAction?.open().catch(() => {});
  }
}

chrome.action.onClicked.addListener((tab) => {
  openSidebar(tab);
  annotateTab(tab.id);
});

chrome.commands.onCommand.addListener(async (command, tab) => {
  if (command !== "annotate-page") return;
  openSidebar(tab);
  // Older Firefox versions do not pass the tab to command listeners.
  const target = tab ?? (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
  if (target?.id != null) annotateTab(target.id);
});

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  if (msg?.type === "readctx:annotate" && Number.isInteger(msg.tabId)) {
    annotateTab(msg.tabId).then(reply, (err) => reply({ status: "error", error: { title: String(err) } }));
    return true;
  }
  if (msg?.type === "readctx:reanchor" && sender.tab?.id != null && typeof msg.text === "string") {
    reanchorTab(sender.tab.id, msg.text, msg.url).then(reply, () => reply({ items: [] }));
    return true;
  }
  return false;
});

chrome.tabs.onUpdated.addListener(async (tabId, info, tab) => {
  // A reload or navigation removes the highlights; the sidebar must not show stale results.
  if (info.status === "loading") await clearState(tabId);
  if (info.status === "complete" && tab.url && (await isAlwaysSite(tab.url))) annotateTab(tabId);
});

chrome.tabs.onRemoved.addListener((tabId) => clearState(tabId));

async function isAlwaysSite(url) {
  if (!/^https?:/.test(url)) return false;
  const pattern = originPattern(url);
  const { alwaysSites } = await loadSettings();
  return alwaysSites.includes(pattern) && chrome.permissions.contains({ origins: [pattern] });
}
