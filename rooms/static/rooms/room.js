// The attendee's room page: the stage (streaming/stage.js), presence, reactions, Q&A, polls, chat.

import { LiveCaptions } from "../captions/live.js";
import { StagePlayer } from "../streaming/stage.js";
import { ChatPanel } from "./chat.js";
import { RoomClient } from "./client.js";
import { PollsPanel } from "./polls.js";
import { QuestionStore, questionBody } from "./qa.js";
import { RoomChrome } from "./room-chrome.js";
import { announce, busy, h, readConfig, showError, syncList } from "./ui.js";

const config = readConfig();
const room = config.room;
const zone = config.viewerZone;
const you = config.you;
const client = new RoomClient({ path: config.wsPath });
window.__roomClient = client; // for debugging and the browser tests

const chrome = new RoomChrome(document, client, room, zone);
const chat = new ChatPanel(document.getElementById("chat"), { client, room, you, zone, loggedIn: config.loggedIn });
const polls = new PollsPanel(document.getElementById("polls"), { client, room, loggedIn: config.loggedIn });
const questions = new QuestionStore(client, room);
const stageRoot = document.querySelector("[data-stage]");
const stage = new StagePlayer(stageRoot, { client, room, title: stageRoot.dataset.title || "",
  live: document.querySelector("[data-stage-announce]"), captions: config.captions });
const captionsRoot = document.querySelector("[data-captions]");
const captions = captionsRoot && config.captions
  ? new LiveCaptions(captionsRoot, { client, room, stageRoot, lang: config.captions.lang }) : null;

// --- Q&A ---------------------------------------------------------------------------------

const qa = {
  root: document.getElementById("qa"),
  view: "visible",
  sort: "votes",
  answered: [],
  roomState: "open",
};
qa.list = qa.root.querySelector("[data-qa-list]");
qa.empty = qa.root.querySelector("[data-qa-empty]");
qa.error = qa.root.querySelector("[data-qa-error]");
qa.live = qa.root.querySelector("[data-qa-announce]");
qa.count = qa.root.querySelector("[data-qa-count]");
qa.form = qa.root.querySelector("[data-ask-form]");
qa.mine = qa.root.querySelector("[data-mine]");
qa.mineList = qa.root.querySelector("[data-mine-list]");
const highlight = document.querySelector("[data-highlight]");

function questionItem(question, { votable }) {
  const children = [h("div", { class: "q-body" }, questionBody(question, zone))];
  if (votable) {
    const label = `${question.voted_by_me ? "Remove your vote" : "Upvote"} (${question.votes} ${question.votes === 1 ? "vote" : "votes"})`;
    children.unshift(h("button", {
      type: "button", class: "vote", "aria-pressed": question.voted_by_me ? "true" : "false", "aria-label": label,
      title: question.voted_by_me ? "Remove your vote" : "Upvote", disabled: !config.loggedIn || qa.roomState === "closed" || (qa.roomState === "paused" && !you.is_moderator),
      dataset: { focusKey: `vote-${question.id}` },
      onclick: (event) => vote(question, event.currentTarget),
    }, h("span", { "aria-hidden": "true" }, "▲"), h("span", { class: "n" }, String(question.votes))));
  } else {
    children.unshift(h("span", { class: "vote static", "aria-label": `${question.votes} votes` }, String(question.votes)));
  }
  return h("li", { class: `question${question.highlighted ? " highlighted" : ""}`, dataset: { question: question.id } }, children);
}

function renderQuestions() {
  const votable = qa.view === "visible";
  const list = votable ? questions.sorted(qa.sort) : qa.answered;
  syncList(qa.list, list, {
    key: (q) => `${qa.view}-${q.id}`,
    signature: (q) => JSON.stringify([q.text, q.votes, q.voted_by_me, q.highlighted, q.labels, q.mine, qa.roomState]),
    create: (q) => questionItem(q, { votable }),
  });
  qa.empty.hidden = list.length > 0;
  qa.empty.textContent = votable ? "No questions yet. Ask the first one!" : "No answered questions yet.";
  qa.count.textContent = `(${questions.visible.size})`;
  const mine = [...questions.minePending.values()];
  if (qa.mine) {
    qa.mine.hidden = mine.length === 0;
    qa.mineList.replaceChildren(...mine.map((q) => h("li", { class: "question pending", dataset: { question: q.id } },
      h("div", { class: "q-body" }, questionBody(q, zone)))));
  }
  renderHighlight();
}

function renderHighlight() {
  const current = questions.highlighted;
  highlight.hidden = !current;
  highlight.querySelector("[data-highlight-body]").replaceChildren(...(current ? questionBody(current, zone) : []));
}

function renderAskForm() {
  if (!qa.form) return;
  const { premoderation, allow_anonymous: anonymous } = questions.settings;
  qa.form.querySelector("[data-anonymous]").hidden = !anonymous;
  if (!anonymous) qa.form.querySelector("#ask-anonymous").checked = false;
  const notes = [];
  if (premoderation && !you.is_moderator) notes.push("A moderator reviews questions before everyone sees them.");
  if (qa.roomState === "paused" && !you.is_moderator) notes.push("The room is paused: questions reopen when the moderators resume it.");
  if (qa.roomState === "closed") notes.push("The room is closed.");
  qa.form.querySelector("[data-ask-note]").textContent = notes.join(" ");
  const blocked = qa.roomState === "closed" || (qa.roomState === "paused" && !you.is_moderator);
  for (const control of qa.form.elements) control.disabled = blocked;
}

async function vote(question, button) {
  const type = question.voted_by_me ? "qa.unvote" : "qa.vote";
  const reply = await busy(button, qa.error, () => client.send(type, { room, question: question.id }));
  if (reply) questions.setVoted(reply.question, reply.voted_by_me, reply.votes);
  else if (qa.error.textContent) button.focus();
}

async function loadAnswered() {
  const reply = await busy(null, qa.error, () => client.send("qa.list", { room, status: "answered", sort: qa.sort }));
  if (reply) qa.answered = reply.questions;
  renderQuestions();
}

function setPressed(attribute, value) {
  for (const button of qa.root.querySelectorAll(`[${attribute}]`)) {
    button.setAttribute("aria-pressed", String(button.getAttribute(attribute) === value));
  }
}

for (const button of qa.root.querySelectorAll("[data-qa-view]")) {
  button.addEventListener("click", () => {
    qa.view = button.dataset.qaView;
    setPressed("data-qa-view", qa.view);
    if (qa.view === "answered") loadAnswered();
    else renderQuestions();
  });
}
for (const button of qa.root.querySelectorAll("[data-qa-sort]")) {
  button.addEventListener("click", () => {
    qa.sort = button.dataset.qaSort;
    setPressed("data-qa-sort", qa.sort);
    if (qa.view === "answered") loadAnswered();
    else renderQuestions();
  });
}

if (qa.form) {
  qa.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = qa.form.querySelector("#ask-text");
    const error = qa.form.querySelector("[data-ask-error]");
    const text = input.value.trim();
    if (!text) {
      showError(error, { message: "Type your question first." });
      input.focus();
      return;
    }
    const anonymous = qa.form.querySelector("#ask-anonymous").checked;
    const reply = await busy(qa.form.querySelector("button[type=submit]"), error,
      () => client.send("qa.ask", { room, text, anonymous }));
    if (reply) {
      input.value = "";
      const question = { ...reply.question, mine: true };
      if (question.status === "pending") {
        questions.minePending.set(question.id, question);
        announce(qa.live, "Your question was sent. Everyone sees it once a moderator approves it.");
      } else {
        questions.upsert(question);
        announce(qa.live, "Your question was posted.");
      }
      renderQuestions();
    }
    input.focus();
  });
}

questions.onChange((kind, detail) => {
  if (kind === "question" && detail.isNew && !detail.question.mine) {
    announce(qa.live, `New question from ${detail.question.author ? detail.question.author.name : "someone anonymous"}: ${detail.question.text}`);
  }
  if (kind === "question" && detail.wasPending && detail.question.status === "visible") {
    announce(qa.live, "A moderator approved your question: everyone sees it now.");
  }
  if (kind === "removed" && qa.view === "answered" && detail.status === "answered") {
    loadAnswered();
    return;
  }
  if (kind === "settings") renderAskForm();
  renderQuestions();
});

// --- reactions ----------------------------------------------------------------------------

const reactionCounts = {};
const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
const floaters = document.querySelector("[data-floaters]");
const reactionError = document.querySelector("[data-reaction-error]");

function showReactions(counts, { animate }) {
  for (const button of document.querySelectorAll(".reaction")) {
    const emoji = button.dataset.emoji;
    const count = counts[emoji] || 0;
    const before = reactionCounts[emoji];
    reactionCounts[emoji] = count;
    button.querySelector("[data-count]").textContent = count ? String(count) : "";
    button.setAttribute("aria-label", `${button.title}${count ? ` (${count})` : ""}`);
    if (animate && before !== undefined && count > before && !reduceMotion.matches) {
      const bubbles = Math.min(count - before, 3);
      for (let i = 0; i < bubbles; i += 1) {
        const bubble = h("span", { class: "floater", style: `left: ${button.offsetLeft + 8 + Math.random() * 16}px` },
          emoji, h("small", {}, `+${count - before}`));
        floaters.append(bubble);
        bubble.addEventListener("animationend", () => bubble.remove());
      }
    }
  }
}

for (const button of document.querySelectorAll(".reaction")) {
  button.disabled = !config.loggedIn;
  button.addEventListener("click", async () => {
    await busy(null, reactionError, () => client.send("reaction.send", { room, emoji: button.dataset.emoji }));
  });
}
client.on("reactions", room, (data) => showReactions(data.counts, { animate: true }));

// --- room state and joining -----------------------------------------------------------------

chrome.onRoomState((state) => {
  qa.roomState = state;
  chat.setRoomState(state);
  polls.setRoomState(state);
  renderAskForm();
  renderQuestions();
});

function onState(reply) {
  const state = reply.state;
  chrome.load(state);
  stage.load(state.stage);
  if (captions) captions.load(state.captions);
  chat.load(state.chat || { messages: [] });
  polls.load(state.polls || {});
  questions.load(state.questions || {});
  showReactions((state.reactions || {}).counts || {}, { animate: false });
  if (qa.view === "answered") loadAnswered();
  renderAskForm();
  renderQuestions();
  document.body.dataset.roomReady = "true";
}

client.join(room, { onState, onError: (error) => chrome.joinFailed(error) })
  .catch((error) => chrome.joinFailed(error));
