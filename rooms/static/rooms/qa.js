// Q&A: the room's questions as the client knows them (kept up to date from the pushes),
// and how a question is drawn. Used by the room page, the moderator console, the speaker
// view and the projector.

import { h, linkify, timeElement } from "./ui.js";

export class QuestionStore {
  constructor(client, room) {
    this.room = room;
    this.visible = new Map(); // id -> question (status "visible")
    this.highlighted = null;
    this.minePending = new Map(); // my questions waiting for a moderator
    this.settings = { premoderation: true, allow_anonymous: true };
    this.pendingCount = null; // moderators only
    this._listeners = new Set();
    client.on("qa.question", room, (data) => this.upsert(data.question));
    client.on("qa.question.removed", room, (data) => {
      const question = this.visible.get(data.id);
      this.visible.delete(data.id);
      if (this.highlighted && this.highlighted.id === data.id) this.highlighted = null;
      this._emit("removed", { id: data.id, status: data.status, question });
    });
    client.on("qa.highlight", room, (data) => this.setHighlight(data.question));
    client.on("qa.votes", room, (data) => {
      for (const [id, votes] of Object.entries(data.votes)) {
        const question = this.visible.get(Number(id));
        if (question) question.votes = votes;
        if (this.highlighted && this.highlighted.id === Number(id)) this.highlighted.votes = votes;
      }
      this._emit("votes", data.votes);
    });
    client.on("qa.mine", room, (data) => {
      const question = { ...data.question, mine: true };
      if (question.status === "pending") {
        this.minePending.set(question.id, question);
        this._emit("mine", question);
      } else if (question.status === "visible") {
        this.upsert(question);
      } else {
        this.minePending.delete(question.id);
        this._emit("mine", question);
      }
    });
    client.on("qa.settings", room, (data) => {
      this.settings = data;
      this._emit("settings", data);
    });
    client.on("qa.queue", room, (data) => {
      this.pendingCount = data.pending;
      this._emit("queue", data);
    });
  }

  /** The "questions" part of the room state (join reply). */
  load(state) {
    this.visible = new Map((state.visible || []).map((q) => [q.id, q]));
    this.highlighted = state.highlighted || null;
    this.minePending = new Map((state.mine_pending || []).map((q) => [q.id, { ...q, mine: true }]));
    this.settings = state.settings || this.settings;
    if (state.pending_count !== undefined) this.pendingCount = state.pending_count;
    this._emit("load", state);
  }

  upsert(incoming) {
    const old = this.visible.get(incoming.id) || this.minePending.get(incoming.id);
    // Broadcasts do not say whether I voted or asked: keep what I knew.
    const question = {
      ...incoming,
      voted_by_me: incoming.voted_by_me ?? (old ? Boolean(old.voted_by_me) : false),
      mine: incoming.mine ?? (old ? Boolean(old.mine) : false),
    };
    const isNew = !this.visible.has(question.id);
    const wasPending = this.minePending.has(question.id);
    if (question.status === "visible") {
      this.visible.set(question.id, question);
      this.minePending.delete(question.id);
    } else {
      this.visible.delete(question.id);
    }
    if (this.highlighted && this.highlighted.id === question.id) {
      this.highlighted = question.status === "visible" && question.highlighted !== false ? question : null;
    }
    this._emit("question", { question, isNew: isNew && question.status === "visible", wasPending });
  }

  setHighlight(question) {
    for (const q of this.visible.values()) q.highlighted = Boolean(question && q.id === question.id);
    if (question) {
      const known = this.visible.get(question.id);
      this.highlighted = known ? { ...known, ...question, voted_by_me: known.voted_by_me, mine: known.mine }
        : question;
    } else {
      this.highlighted = null;
    }
    this._emit("highlight", this.highlighted);
  }

  setVoted(id, votedByMe, votes) {
    for (const question of [this.visible.get(id), this.highlighted && this.highlighted.id === id
      ? this.highlighted : null]) {
      if (!question) continue;
      question.voted_by_me = votedByMe;
      if (votes !== undefined) question.votes = votes;
    }
    this._emit("votes", {});
  }

  /** Visible questions, "votes" (most first, then oldest) or "recent" (newest first). */
  sorted(sort = "votes") {
    const list = [...this.visible.values()];
    if (sort === "recent") {
      list.sort((a, b) => (b.created_at.localeCompare(a.created_at)) || b.id - a.id);
    } else {
      list.sort((a, b) => (b.votes - a.votes) || a.created_at.localeCompare(b.created_at) || a.id - b.id);
    }
    return list;
  }

  onChange(fn) {
    this._listeners.add(fn);
    return () => this._listeners.delete(fn);
  }

  _emit(kind, detail) {
    for (const fn of this._listeners) fn(kind, detail);
  }
}

export function authorName(question) {
  return question.author ? question.author.name : "Anonymous";
}

/** The text and who/when of a question (no controls). */
export function questionBody(question, zone, { showStatus = false } = {}) {
  const meta = [h("span", { class: "q-author" }, authorName(question)), " · ", timeElement(question.created_at, zone)];
  if (question.mine) meta.push(" · ", h("span", { class: "badge mine" }, "Your question"));
  if (question.highlighted) meta.push(" · ", h("span", { class: "badge live" }, "On screen"));
  if (showStatus && question.status === "pending") meta.push(" · ", h("span", { class: "badge" }, "Waiting for approval"));
  if (showStatus && question.status === "answered") meta.push(" · ", h("span", { class: "badge" }, "Answered"));
  return [
    h("p", { class: "q-text" }, linkify(question.text)),
    h("p", { class: "q-meta" }, meta,
      (question.labels || []).length ? h("span", { class: "q-labels" }, " ",
        question.labels.map((label) => h("span", { class: "label" }, label))) : null),
  ];
}

/** A vote count as a plain badge (speaker view, projector, moderator lists). */
export function voteCount(question) {
  return h("span", { class: "q-votes", "aria-label": `${question.votes} ${question.votes === 1 ? "vote" : "votes"}` },
    h("span", { "aria-hidden": "true" }, "▲ "), String(question.votes));
}
