// Content script part 3: the explanation shown when the reader hovers a highlight.
// Built with createElement/textContent only: service text is never parsed as HTML.
(() => {
  const ns = (globalThis.readctx ??= {});
  if (ns.tooltip) return;

  let box = null;

  function ensureBox() {
    if (box?.isConnected) return box;
    box = document.createElement("div");
    box.className = "readctx-tooltip";
    box.setAttribute("data-readctx-ui", "");
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    document.documentElement.appendChild(box);
    return box;
  }

  function show(target) {
    const items = target.dataset.ids.split(" ").map((id) => ns.items?.get(id)).filter(Boolean);
    if (!items.length) return;
    const el = ensureBox();
    el.replaceChildren(...items.map(describe));
    el.hidden = false;
    const rect = target.getBoundingClientRect();
    const below = rect.bottom + 8 + el.offsetHeight < window.innerHeight;
    el.style.top = `${below ? rect.bottom + 6 : Math.max(4, rect.top - el.offsetHeight - 6)}px`;
    el.style.left = `${Math.max(4, Math.min(rect.left, window.innerWidth - el.offsetWidth - 4))}px`;
  }

  function describe(item) {
    const part = document.createElement("div");
    part.className = "readctx-tooltip-item";
    const head = document.createElement("strong");
    head.textContent = item.labelText;
    part.append(head);
    if (item.confidence != null) {
      const conf = document.createElement("span");
      conf.className = "readctx-tooltip-confidence";
      conf.textContent = ` · confidence ${Math.round(item.confidence * 100)}%`;
      part.append(conf);
    }
    for (const line of item.details ?? []) {
      const p = document.createElement("div");
      p.textContent = line;
      part.append(p);
    }
    return part;
  }

  function hide() {
    if (box) box.hidden = true;
  }

  function install() {
    document.addEventListener("mouseover", (e) => {
      const target = e.target instanceof Element ? e.target.closest(ns.highlight.TAG) : null;
      if (target) show(target);
    });
    document.addEventListener("mouseout", (e) => {
      if (e.target instanceof Element && e.target.closest(ns.highlight.TAG)) hide();
    });
    window.addEventListener("scroll", hide, { passive: true });
  }

  ns.tooltip = { install, hide };
})();
