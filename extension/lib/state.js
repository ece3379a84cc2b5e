// Per-tab results in chrome.storage.session: they survive the service worker being stopped,
// vanish when the browser closes, and the side panel follows them through storage.onChanged.

export const stateKey = (tabId) => `tab:${tabId}`;

export async function getState(tabId) {
  const key = stateKey(tabId);
  return (await chrome.storage.session.get(key))[key] ?? { status: "idle" };
}

export async function setState(tabId, state) {
  await chrome.storage.session.set({ [stateKey(tabId)]: { ...state, updatedAt: Date.now() } });
}

export async function patchState(tabId, changes) {
  await setState(tabId, { ...(await getState(tabId)), ...changes });
}

export async function clearState(tabId) {
  await chrome.storage.session.remove(stateKey(tabId));
}
