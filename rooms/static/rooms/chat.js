// The chat panel: history with "load earlier", send, delete, and (moderators) mute.
// Messages are plain text: they are rendered with text nodes, their links by linkify().

import { announce, busy, h, linkify, showError, timeElement } from "./ui.js";

const STATE_PAGE = 50; // messages in the join state (chat.services.HISTORY_LIMIT)

export class ChatPanel {
  /**
   * root: the chat <section>, holding [data-chat-log], [data-chat-earlier], the form
   * [data-chat-form] (textarea name="text"), [data-chat-error], [data-chat-note].
   * options: {client, room, you, zone, moderator}
   */
  constructor(root, { client, room, you, zone, moderator = false, loggedIn = true }) {
    Object.assign(this, { root, client, room, you, zone, moderator, loggedIn });
    this.log = root.querySelector("[data-chat-log]");
    this.list = root.querySelector("[data-chat-list]");
    this.earlier = root.querySelector("[data-chat-earlier]");
    this.form = root.querySelector("[data-chat-form]");
    this.error = root.querySelector("[data-chat-error]");
    this.note = root.querySelector("[data-chat-note]");
    this.empty = root.querySelector("[data-chat-empty]");
    this.messages = new Map(); // id -> element
    this.oldest = null;
    this.slowMode = 0;
    this.muted = false;
    this.roomState = "open";
    if (this.form) {
      this.input = this.form.querySelector("textarea, input[name=text]");
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.send();
      });
      this.input.addEventListener("keydown", (event) => {
        // Enter sends, Shift+Enter makes a new line (as in every chat).
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.send();
        }
      });
    }
    if (this.earlier) this.earlier.addEventListener("click", () => this.loadEarlier());
    client.on("chat.message", room, (data) => this.add(data, { live: true }));
    client.on("chat.deleted", room, (data) => this.remove(data.id));
    client.on("chat.settings", room, (data) => {
      this.slowMode = data.slow_mode_seconds;
      this.updateNote();
    });
    client.on("chat.muted", null, (data) => {
      if (data.room === room || data.scope === "edition") {
        this.muted = true;
        this.mutedUntil = data.until;
        this.updateNote();
      }
    });
    client.on("chat.unmuted", null, (data) => {
      if (data.room === room || data.scope === "edition") {
        this.muted = false;
        this.updateNote();
      }
    });
  }

  load(chat) {
    this.log.setAttribute("aria-busy", "true"); // do not read the whole history aloud
    this.messages.clear();
    this.list.replaceChildren();
    this.oldest = null;
    for (const message of chat.messages || []) this.add(message, { live: false });
    this.slowMode = chat.slow_mode_seconds || 0;
    this.muted = Boolean(chat.muted);
    if (this.earlier) this.earlier.hidden = (chat.messages || []).length < STATE_PAGE;
    this.updateNote();
    this.scrollToEnd();
    this.log.removeAttribute("aria-busy");
  }

  setRoomState(state) {
    this.roomState = state;
    this.updateNote();
  }

  updateNote() {
    const notes = [];
    let canSend = this.loggedIn;
    if (this.roomState === "closed") {
      notes.push("The room is closed: the chat is read-only.");
      canSend = false;
    } else if (this.roomState === "paused" && !this.moderator) {
      notes.push("The room is paused: the chat reopens when the moderators resume it.");
      canSend = false;
    }
    if (this.muted && !this.moderator) {
      notes.push("A moderator muted you: you can read the chat but not post for now.");
      canSend = false;
    }
    if (this.slowMode) notes.push(`Slow mode: one message every ${this.slowMode} s${this.moderator ? " for attendees" : ""}.`);
    if (this.note) {
      this.note.textContent = notes.join(" ");
      this.note.hidden = notes.length === 0;
    }
    if (this.form) {
      for (const control of this.form.elements) control.disabled = !canSend;
    }
  }

  isMine(message) {
    return this.you.user_id !== null && message.author && message.author.id === this.you.user_id;
  }

  render(message) {
    const actions = [];
    const when = timeElement(message.created_at, this.zone);
    if (this.isMine(message) || this.moderator) {
      const whose = this.isMine(message) ? "your message" : `the message of ${message.author.name}`;
      actions.push(h("button", {
        type: "button", class: "link danger", dataset: { focusKey: `del-${message.id}` },
        "aria-label": `Delete ${whose} from ${when.textContent}`,
        onclick: (event) => this.delete(message, event.currentTarget),
      }, "Delete"));
    }
    if (this.moderator && !this.isMine(message)) actions.push(this.muteControls(message));
    return h("li", { class: `msg${this.isMine(message) ? " mine" : ""}`, dataset: { id: message.id } },
      h("p", { class: "msg-head" }, h("span", { class: "msg-author" }, message.author.name), " ", when),
      h("p", { class: "msg-text" }, linkify(message.text)),
      actions.length ? h("div", { class: "msg-actions" }, actions) : null,
      h("p", { class: "form-error", role: "alert", hidden: true, dataset: { msgError: "" } }),
    );
  }

  muteControls(message) {
    const id = `mute-${message.id}`;
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const scope = h("select", { id: `${id}-scope`, name: "scope" },
      h("option", { value: "room" }, "This room"), h("option", { value: "edition" }, "Every room of the event"));
    const minutes = h("input", { id: `${id}-minutes`, name: "minutes", type: "number", min: 1, max: 43200,
      inputmode: "numeric", placeholder: "until lifted" });
    const reason = h("input", { id: `${id}-reason`, name: "reason", maxlength: 200 });
    const run = (type) => async (event) => {
      const fields = { room: this.room, user: message.author.id, scope: scope.value };
      if (type === "chat.mute") {
        if (minutes.value) fields.minutes = Number(minutes.value);
        if (reason.value.trim()) fields.reason = reason.value.trim();
      }
      const done = await busy(event.currentTarget, error, () => this.client.send(type, fields));
      if (done) {
        error.hidden = false;
        error.classList.add("ok");
        error.textContent = type === "chat.mute"
          ? `${message.author.name} is muted${fields.minutes ? ` for ${fields.minutes} min` : " until lifted"}.`
          : (done.lifted ? `${message.author.name} may chat again.` : `${message.author.name} was not muted.`);
      }
    };
    return h("details", { class: "mute" },
      h("summary", {}, `Mute ${message.author.name}…`),
      h("div", { class: "mute-form" },
        h("label", { for: `${id}-scope` }, "Where"), scope,
        h("label", { for: `${id}-minutes` }, "Minutes (empty: until lifted)"), minutes,
        h("label", { for: `${id}-reason` }, "Reason (for moderators)"), reason,
        h("div", { class: "row" },
          h("button", { type: "button", class: "button small", onclick: run("chat.mute") }, "Mute"),
          h("button", { type: "button", class: "button small secondary", onclick: run("chat.unmute") }, "Unmute")),
        error));
  }

  add(message, { live = false, prepend = false } = {}) {
    if (this.messages.has(message.id)) return;
    if (this.empty) this.empty.hidden = true;
    const node = this.render(message);
    this.messages.set(message.id, node);
    if (prepend) {
      this.list.prepend(node);
    } else {
      // Keep id order even if a reply and its push cross.
      const atEnd = this.isAtEnd();
      const later = [...this.list.children].find((child) => Number(child.dataset.id) > message.id);
      this.list.insertBefore(node, later || null);
      if (live && (atEnd || this.isMine(message))) this.scrollToEnd();
    }
    if (this.oldest === null || message.id < this.oldest) this.oldest = message.id;
  }

  remove(id) {
    const node = this.messages.get(id);
    if (!node) return;
    const hadFocus = node.contains(document.activeElement);
    node.remove();
    this.messages.delete(id);
    if (this.empty) this.empty.hidden = this.messages.size > 0;
    if (hadFocus && this.input) this.input.focus();
  }

  isAtEnd() {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  async send() {
    const text = this.input.value.trim();
    if (!text) {
      showError(this.error, { message: "Type a message first." });
      this.input.focus();
      return;
    }
    const button = this.form.querySelector("button[type=submit], button:not([type])");
    const reply = await busy(button, this.error, () => this.client.send("chat.send", { room: this.room, text }));
    if (reply) {
      this.input.value = "";
      this.add(reply.message, { live: true });
    }
    this.updateNote();
    this.input.focus();
  }

  async delete(message, button) {
    const node = this.messages.get(message.id);
    const error = node ? node.querySelector("[data-msg-error]") : null;
    const done = await busy(button, error, () => this.client.send("chat.delete", { room: this.room, message: message.id }));
    if (done) this.remove(message.id);
  }

  async loadEarlier() {
    const before = this.oldest;
    const height = this.log.scrollHeight;
    const reply = await busy(this.earlier, this.error,
      () => this.client.send("chat.history", before ? { room: this.room, before } : { room: this.room }));
    if (!reply) return;
    this.log.setAttribute("aria-busy", "true");
    for (const message of [...reply.messages].reverse()) this.add(message, { prepend: true });
    this.log.removeAttribute("aria-busy");
    // Keep the messages one was reading in place.
    this.log.scrollTop += this.log.scrollHeight - height;
    if (!reply.next_before) {
      this.earlier.hidden = true;
      announce(this.root.querySelector("[data-chat-announce]"),
        reply.messages.length ? `${reply.messages.length} earlier messages loaded; that is the start of the chat.`
          : "No earlier messages.");
      if (this.input && !this.input.disabled) this.input.focus();
      else this.log.focus();
    } else {
      announce(this.root.querySelector("[data-chat-announce]"), `${reply.messages.length} earlier messages loaded.`);
    }
  }
}

