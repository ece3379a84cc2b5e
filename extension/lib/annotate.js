// The annotate flow, run by the service worker: capture the page's text in the tab, send it to
// the service, anchor the answer in the page, highlight, and record the result for the sidebar.

import { anchorAll, selectorsFromDocument } from "./anchor.js";
import { cannotReadPage, noArticleText, unexpectedFailure } from "./errors.js";
import { highlightItems } from "./items.js";
import { requestAnnotations, ServiceError } from "./service.js";
import { loadSettings } from "./settings.js";
import { clearState, getState, patchState, setState } from "./state.js";

const CONTENT_FILES = ["content/capture.js", "content/highlight.js", "content/tooltip.js", "content/main.js"];
const running = new Map(); // tabId → promise, so a double click does not send the page twice

export function annotateTab(tabId) {
  if (!running.has(tabId)) {
    running.set(tabId, runAnnotate(tabId).finally(() => running.delete(tabId)));
  }
  return running.get(tabId);
}

async function runAnnotate(tabId) {
  await setState(tabId, { status: "working" });
  try {
    return await annotateSteps(tabId);
  } catch (err) {
    // Whatever broke, the sidebar must not stay on "working".
    return fail(tabId, unexpectedFailure(err));
  }
}

async function annotateSteps(tabId) {
  try {
    await injectContentScript(tabId);
  } catch {
    return fail(tabId, cannotReadPage());
  }
  const page = await sendToTab(tabId, { type: "readctx:capture" });
  if (!page?.ok) return fail(tabId, noArticleText());
  let doc;
  try {
    doc = await requestAnnotations(await loadSettings(), page, { extensionOrigin: extensionOrigin() });
  } catch (err) {
    if (err instanceof ServiceError) return fail(tabId, err.readerError, page);
    throw err;
  }
  const { selectors, glossaryTargets } = selectorsFromDocument(doc, page.text);
  const { placed, orphans } = anchorAll(selectors, page.text, page.text);
  const state = {
    status: "done", url: page.url, title: page.title, doc, selectors, glossaryTargets,
    sentText: page.text, placed, orphans,
  };
  await setState(tabId, state);
  await sendToTab(tabId, { type: "readctx:highlight", text: page.text, items: highlightItems(state) });
  return { status: "done", placed: placed.length, orphans: orphans.length };
}

/** The page changed under the highlights: place them again in its new text. */
export async function reanchorTab(tabId, text, url) {
  const state = await getState(tabId);
  if (state.status !== "done") return { items: [] };
  if (url && state.url && withoutHash(url) !== withoutHash(state.url)) {
    // A client-side navigation to another article: the results were about the previous one.
    await clearState(tabId);
    return { items: [] };
  }
  const { placed, orphans } = anchorAll(state.selectors, text, state.sentText);
  await patchState(tabId, { placed, orphans });
  return { items: highlightItems({ ...state, placed }) };
}

async function fail(tabId, error, page) {
  await setState(tabId, { status: "error", error, url: page?.url, title: page?.title });
  return { status: "error", error };
}

async function injectContentScript(tabId) {
  const [probe] = await chrome.scripting.executeScript({
    target: { tabId },
    func: () => Boolean(globalThis.readctx?.main),
  });
  if (probe?.result) return;
  await chrome.scripting.insertCSS({ target: { tabId }, files: ["content/highlights.css"] });
  await chrome.scripting.executeScript({ target: { tabId }, files: CONTENT_FILES });
}

function withoutHash(url) {
  return url.replace(/#.*$/, "");
}

export function sendToTab(tabId, message) {
  return chrome.tabs.sendMessage(tabId, message, { frameId: 0 });
}

export function extensionOrigin() {
  return chrome.runtime.getURL("").replace(/\/$/, "");
}
