// Small DOM helpers shared by the room pages. User text only ever goes into the page as
// text nodes (textContent); links in it are built as elements, never through innerHTML.

export function readConfig(id = "room-config") {
  return JSON.parse(document.getElementById(id).textContent);
}

/** h("p", {class: "x", onclick: fn}, "text", otherNode): an element; strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "value") node.value = value;
    else if (key === "checked") node.checked = Boolean(value);
    else if (key === "style") node.style.cssText = value; // CSSOM: allowed by the CSP, unlike a style attribute
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"»”’]+$/;

function trimUrl(candidate) {
  let url = candidate.replace(TRAILING, "");
  // A closing bracket belongs to the URL only when the URL opened one (Wikipedia links).
  while (/[)\]]$/.test(url)) {
    const close = url.endsWith(")") ? ")" : "]";
    const open = close === ")" ? "(" : "[";
    if (url.split(open).length >= url.split(close).length) break;
    url = url.slice(0, -1).replace(TRAILING, "");
  }
  return url;
}

/** Text with its http(s) URLs as safe links, as a DocumentFragment (never HTML). */
export function linkify(text) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0]);
    let parsed = null;
    try {
      parsed = new URL(url);
    } catch (error) {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) continue;
    fragment.append(document.createTextNode(text.slice(at, match.index)));
    const link = document.createElement("a");
    link.href = parsed.href;
    link.rel = "noopener nofollow ugc";
    link.target = "_blank";
    link.textContent = url;
    fragment.append(link);
    at = match.index + url.length;
  }
  fragment.append(document.createTextNode(text.slice(at)));
  return fragment;
}

const formatters = new Map();

function formatter(zone, options) {
  const key = `${zone}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) {
    let format;
    try {
      format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: zone || undefined });
    } catch (error) {
      format = new Intl.DateTimeFormat("en-GB", options);
    }
    formatters.set(key, format);
  }
  return formatters.get(key);
}

/** A <time> showing the moment in the viewer's zone (the zone the server renders pages in). */
export function timeElement(iso, zone, { withDate = false } = {}) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h("time", {}, "");
  const options = withDate
    ? { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }
    : { hour: "2-digit", minute: "2-digit" };
  const full = formatter(zone, { dateStyle: "full", timeStyle: "long" }).format(date);
  return h("time", { datetime: date.toISOString(), title: full }, formatter(zone, options).format(date));
}

export function formatClock(iso, zone) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : formatter(zone, { hour: "2-digit", minute: "2-digit" }).format(date);
}

/** Say something to screen readers through an aria-live region (repeats are re-announced). */
export function announce(region, text) {
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);
}

export function showError(node, error) {
  if (!node) return;
  node.textContent = error && error.message ? error.message : String(error || "");
  node.hidden = !node.textContent;
}

export function clearError(node) {
  if (!node) return;
  node.textContent = "";
  node.hidden = true;
}

/** Disable a button while `work` runs; show its error in `errorNode`. Returns the result or null. */
export async function busy(button, errorNode, work) {
  clearError(errorNode);
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
  }
  try {
    return await work();
  } catch (error) {
    showError(errorNode, error);
    return null;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

/** Re-render a container while keeping keyboard focus on the "same" control, found by its
 *  data-focus-key (list items move when sorted; moving a focused node would lose focus). */
export function keepFocus(container, render) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.focusKey : null;
  render();
  if (key) {
    const again = container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (again && again !== document.activeElement) again.focus({ preventScroll: true });
  }
}

const STATUS_TEXT = {
  idle: "Not connected",
  connecting: "Connecting…",
  open: "Connected",
  reconnecting: "Connection lost. Reconnecting…",
  replaced: "This tab was disconnected because the room is open in too many of your tabs or devices. " +
    "Reload the page to use it here.",
  closed: "Disconnected",
};

/** The connection line at the top of a room page (role="status" in the template). */
export function showConnection(client, node) {
  if (!node) return;
  let countdown = null;
  const render = (status, detail = {}) => {
    node.dataset.connection = status;
    node.replaceChildren(STATUS_TEXT[status] || status);
    window.clearInterval(countdown);
    if (status === "reconnecting" && detail.delay) {
      const left = h("span", { class: "countdown" });
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((client._retryAt - Date.now()) / 1000));
        left.textContent = seconds ? ` Next try in ${seconds} s.` : "";
      };
      tick();
      countdown = window.setInterval(tick, 1000);
      node.append(left, " ", h("button", { type: "button", class: "link", onclick: () => client.reconnectNow() },
        "Reconnect now"));
    }
    if (status === "replaced") {
      node.append(" ", h("button", { type: "button", class: "link", onclick: () => window.location.reload() },
        "Reload"));
    }
  };
  client.on("connection.status", null, (data) => render(data.status, data));
  render(client.status);
}

/** Presence counts: "12 in the hall · 340 online". */
export function showPresence(client, room, node) {
  if (!node) return;
  client.on("presence", room, (data) => {
    node.replaceChildren(
      h("span", { class: "count" }, h("strong", {}, String(data.in_person)), " in the hall"),
      " · ",
      h("span", { class: "count" }, h("strong", {}, String(data.online)), " online"),
    );
    node.setAttribute("aria-label", `${data.in_person} people in the hall, ${data.online} online`);
  });
}

export const STATE_TEXT = {
  open: "Open",
  paused: "Paused",
  closed: "Closed",
};

/**
 * Make `container`'s children the nodes of `items`, in order, reusing the node of an item
 * whose signature did not change (so an open disclosure, a half-typed text or the focus in
 * it survive the frequent updates of a live list); `patch(node, item)` refreshes what
 * changes often in place (vote counts).
 */
export function syncList(container, items, { key, signature, create, patch = null }) {
  if (!container._nodes) container._nodes = new Map();
  const cache = container._nodes;
  keepFocus(container, () => {
    const wanted = [];
    const seen = new Set();
    for (const item of items) {
      const id = key(item);
      seen.add(id);
      const sig = signature(item);
      let entry = cache.get(id);
      if (!entry || entry.sig !== sig) {
        const node = create(item);
        if (entry) entry.node.replaceWith(node);
        entry = { node, sig };
        cache.set(id, entry);
      } else if (patch) {
        patch(entry.node, item);
      }
      wanted.push(entry.node);
    }
    for (const [id, entry] of cache) {
      if (!seen.has(id)) {
        entry.node.remove();
        cache.delete(id);
      }
    }
    wanted.forEach((node, index) => {
      if (container.children[index] !== node) container.insertBefore(node, container.children[index] || null);
    });
  });
}
