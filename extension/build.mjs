// Writes clean, loadable copies of the extension: dist/chrome (manifest.json) and dist/firefox
// (firefox/manifest.json: sidebar_action instead of the side panel, background scripts instead
// of a service worker). No bundling: the same plain ES modules run in both browsers.
// Usage: node extension/build.mjs
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const RUNTIME = ["background.js", "sidepanel.html", "options.html", "lib", "content", "panel", "options", "icons"];

for (const [browser, manifest] of [["chrome", "manifest.json"], ["firefox", "firefox/manifest.json"]]) {
  const out = join(here, "dist", browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const entry of RUNTIME) cpSync(join(here, entry), join(out, entry), { recursive: true });
  cpSync(join(here, manifest), join(out, "manifest.json"));
  console.log(`wrote ${out}`);
}
