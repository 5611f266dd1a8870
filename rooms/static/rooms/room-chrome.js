// What every room page shows around its content: the connection line, presence counts,
// the room's state (open / paused / closed) and the moderators' announcements.

import { h, showConnection, showPresence, timeElement } from "./ui.js";

const BANNER = {
  open: "",
  paused: "The room is paused: chat and questions are closed for now.",
  closed: "The room is closed.",
};

const DISMISSED_KEY = "rooms.dismissedAnnouncements";

export class RoomChrome {
  constructor(doc, client, room, zone) {
    Object.assign(this, { client, room, zone });
    this.state = null;
    this.badge = doc.querySelector("[data-room-state]");
    this.banner = doc.querySelector("[data-room-banner]");
    this.stageState = doc.querySelector("[data-stage-state]");
    this.announcements = doc.querySelector("[data-announcements]");
    this._stateListeners = [];
    showConnection(client, doc.getElementById("connection"));
    showPresence(client, room, doc.querySelector("[data-presence]"));
    client.on("room.state", room, (data) => this.setState(data.state));
    client.on("room.announcement", room, (data) => this.showAnnouncement(data, { live: true }));
  }

  onRoomState(fn) {
    this._stateListeners.push(fn);
  }

  load(state) {
    this.setState(state.room.state);
    // The newest announcement not dismissed yet (the state lists the newest first).
    const dismissed = this.dismissed();
    const latest = (state.announcements || []).find((item) => !dismissed.has(item.id));
    if (!this.announcements) return;
    this.announcements.replaceChildren();
    if (latest) this.showAnnouncement(latest, { live: false });
  }

  setState(state) {
    this.state = state;
    if (this.badge) {
      this.badge.dataset.roomState = state;
      this.badge.textContent = `Room ${state}`;
    }
    if (this.stageState) {
      this.stageState.textContent = { open: "", paused: " · paused", closed: " · room closed" }[state] ?? "";
    }
    if (this.banner) {
      this.banner.textContent = BANNER[state] || "";
      this.banner.hidden = !BANNER[state];
      this.banner.dataset.state = state;
    }
    for (const fn of this._stateListeners) fn(state);
  }

  dismissed() {
    try {
      return new Set(JSON.parse(window.sessionStorage.getItem(DISMISSED_KEY) || "[]"));
    } catch (error) {
      return new Set();
    }
  }

  showAnnouncement(item, { live }) {
    if (!this.announcements) return;
    if (this.announcements.querySelector(`[data-announcement="${item.id}"]`)) return;
    const node = h("div", { class: `announcement${live ? " fresh" : ""}`, dataset: { announcement: item.id } },
      h("p", {},
        h("strong", {}, item.scope === "edition" ? "Announcement from the organisers" : "Announcement"),
        " ", timeElement(item.created_at, this.zone), ": ", item.text),
      h("button", {
        type: "button", class: "link", "aria-label": "Dismiss the announcement",
        onclick: () => {
          const dismissed = this.dismissed();
          dismissed.add(item.id);
          window.sessionStorage.setItem(DISMISSED_KEY, JSON.stringify([...dismissed].slice(-50)));
          node.remove();
          document.getElementById("room-title")?.focus();
        },
      }, "Dismiss"));
    this.announcements.prepend(node);
    // Keep the banner short: the three newest.
    for (const old of [...this.announcements.children].slice(3)) old.remove();
  }

  joinFailed(error) {
    if (!this.banner) return;
    this.banner.hidden = false;
    this.banner.dataset.state = "error";
    this.banner.setAttribute("role", "alert");
    this.banner.textContent = error.message || "Could not join the room.";
    if (error.code === "login_required") {
      this.banner.append(" ", h("a", { href: `/accounts/login/?next=${encodeURIComponent(window.location.pathname)}` }, "Log in"));
    }
    document.body.dataset.roomReady = "error";
  }
}
