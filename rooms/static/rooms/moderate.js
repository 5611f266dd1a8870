// The moderator console: room state and announcements, the Q&A queue and live questions,
// polls, and chat moderation.

import { ChatPanel } from "./chat.js";
import { RoomClient } from "./client.js";
import { pollResults } from "./polls.js";
import { QuestionStore, questionBody, voteCount } from "./qa.js";
import { RoomChrome } from "./room-chrome.js";
import { announce, busy, clearError, h, readConfig, showError, syncList } from "./ui.js";

const config = readConfig();
const room = config.room;
const zone = config.viewerZone;
const client = new RoomClient({ path: config.wsPath });
window.__roomClient = client;

const chrome = new RoomChrome(document, client, room, zone);
const chat = new ChatPanel(document.getElementById("chat"), { client, room, you: config.you, zone, moderator: true });
const questions = new QuestionStore(client, room);
const send = (type, fields = {}) => client.send(type, { room, ...fields });

// --- room state and announcements ------------------------------------------------------------

const stateError = document.querySelector("[data-state-error]");
for (const button of document.querySelectorAll("[data-set-state]")) {
  button.addEventListener("click", () => busy(button, stateError, () => send("room.set_state", { state: button.dataset.setState })));
}
chrome.onRoomState((state) => {
  for (const button of document.querySelectorAll("[data-set-state]")) {
    button.setAttribute("aria-pressed", String(button.dataset.setState === state));
  }
  chat.setRoomState(state);
});

const announceForm = document.querySelector("[data-announce-form]");
announceForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = announceForm.querySelector("textarea");
  const error = announceForm.querySelector("[data-announce-error]");
  if (!input.value.trim()) {
    showError(error, { message: "Write the announcement first." });
    input.focus();
    return;
  }
  const done = await busy(announceForm.querySelector("button"), error, () => send("room.announce", { text: input.value.trim() }));
  if (done) input.value = "";
});

// --- Q&A queue --------------------------------------------------------------------------------

const queue = {
  list: document.querySelector("[data-queue-list]"),
  empty: document.querySelector("[data-queue-empty]"),
  count: document.querySelector("[data-queue-count]"),
  error: document.querySelector("[data-queue-error]"),
  live: document.querySelector("[data-queue-announce]"),
  items: [],
  loading: null,
};

async function loadQueue() {
  // One request at a time; a hint arriving meanwhile asks again afterwards.
  if (queue.loading) {
    queue.again = true;
    return;
  }
  queue.loading = send("qa.queue").catch((error) => {
    showError(queue.error, error);
    return null;
  });
  const reply = await queue.loading;
  queue.loading = null;
  if (reply) {
    const before = new Set(queue.items.map((q) => q.id));
    queue.items = reply.pending;
    const fresh = reply.pending.filter((q) => !before.has(q.id));
    if (fresh.length && before.size + fresh.length > 0 && queue.loadedOnce) {
      announce(queue.live, fresh.length === 1 ? `New question to review: ${fresh[0].text}` : `${fresh.length} new questions to review.`);
    }
    queue.loadedOnce = true;
    renderQueue();
  }
  if (queue.again) {
    queue.again = false;
    loadQueue();
  }
}

function setQueueCount(n) {
  queue.count.textContent = String(n);
  queue.count.toggleAttribute("data-zero", n === 0);
  queue.count.setAttribute("aria-label", `${n} waiting`);
}

function renderQueue() {
  setQueueCount(queue.items.length);
  syncList(queue.list, queue.items, {
    key: (q) => q.id,
    signature: (q) => JSON.stringify([q.text, q.author, q.labels]),
    create: queueItem,
  });
  queue.empty.hidden = queue.items.length > 0;
}

function queueItem(question) {
  const item = h("li", { class: "question pending", dataset: { question: question.id } });
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const act = (action, fields = {}) => async (event) => {
    const done = await busy(event.currentTarget, error, () => send("qa.moderate", { question: question.id, action, ...fields }));
    if (done) {
      const index = queue.items.findIndex((q) => q.id === question.id);
      queue.items = queue.items.filter((q) => q.id !== question.id);
      renderQueue();
      // Keep the keyboard in the queue: on the next question's first button, else the heading.
      const next = queue.list.children[Math.min(index, queue.list.children.length - 1)];
      (next ? next.querySelector("button") : document.getElementById("queue-title"))?.focus();
    }
  };
  const editBox = h("form", { class: "edit-form", hidden: true },
    h("label", { for: `edit-${question.id}` }, "Edited question"),
    h("textarea", { id: `edit-${question.id}`, rows: 3, maxlength: 500, dataset: { focusKey: `edit-text-${question.id}` } },
      question.text),
    h("div", { class: "q-actions" },
      h("button", { type: "submit", class: "button small" }, "Approve edited question"),
      h("button", { type: "button", class: "button small secondary", onclick: () => {
        editBox.hidden = true;
        editButton.focus();
      } }, "Cancel")));
  editBox.addEventListener("submit", (event) => {
    event.preventDefault();
    act("approve", { text: editBox.querySelector("textarea").value })({ currentTarget: editBox.querySelector("button") });
  });
  const editButton = h("button", { type: "button", class: "button small secondary", "aria-expanded": "false",
    dataset: { focusKey: `edit-${question.id}` },
    onclick: () => {
      editBox.hidden = !editBox.hidden;
      editButton.setAttribute("aria-expanded", String(!editBox.hidden));
      if (!editBox.hidden) editBox.querySelector("textarea").focus();
    } }, "Edit…");
  item.append(
    voteCount(question),
    h("div", { class: "q-body" }, questionBody(question, zone)),
    h("div", { class: "q-actions" },
      h("button", { type: "button", class: "button small", dataset: { focusKey: `approve-${question.id}` },
        "aria-label": `Approve: ${question.text.slice(0, 80)}`, onclick: act("approve") }, "Approve"),
      editButton,
      h("button", { type: "button", class: "button small secondary", dataset: { focusKey: `dismiss-${question.id}` },
        "aria-label": `Dismiss: ${question.text.slice(0, 80)}`, onclick: act("dismiss") }, "Dismiss")),
    editBox, error);
  return item;
}

// --- Q&A settings -----------------------------------------------------------------------------

const settingsError = document.querySelector("[data-settings-error]");
function renderSettings() {
  for (const input of document.querySelectorAll("[data-qa-setting]")) {
    input.checked = Boolean(questions.settings[input.dataset.qaSetting]);
  }
}
for (const input of document.querySelectorAll("[data-qa-setting]")) {
  input.addEventListener("change", async () => {
    const done = await busy(null, settingsError, () => send("qa.settings", { [input.dataset.qaSetting]: input.checked }));
    if (!done) input.checked = !input.checked;
  });
}

// --- live and answered questions --------------------------------------------------------------

const live = {
  root: document.getElementById("live-questions"),
  view: "visible",
  answered: [],
};
live.list = live.root.querySelector("[data-qa-list]");
live.empty = live.root.querySelector("[data-qa-empty]");
live.error = live.root.querySelector("[data-qa-error]");
live.count = live.root.querySelector("[data-qa-count]");
const highlight = live.root.querySelector("[data-highlight]");

function liveItem(question) {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const act = (action) => (event) => busy(event.currentTarget, error,
    () => send("qa.moderate", { question: question.id, action }));
  const short = question.text.slice(0, 80);
  const actions = [];
  if (question.status === "answered") {
    actions.push(h("button", { type: "button", class: "button small secondary", dataset: { focusKey: `restore-${question.id}` },
      "aria-label": `Restore: ${short}`, onclick: async (event) => {
        if (await act("restore")(event)) loadAnswered();
      } }, "Restore"));
  } else {
    actions.push(
      question.highlighted
        ? h("button", { type: "button", class: "button small", dataset: { focusKey: `hl-${question.id}` }, "aria-pressed": "true",
          "aria-label": `Take off screen: ${short}`, onclick: act("unhighlight") }, "Take off screen")
        : h("button", { type: "button", class: "button small", dataset: { focusKey: `hl-${question.id}` }, "aria-pressed": "false",
          "aria-label": `Highlight: ${short}`, onclick: act("highlight") }, "Highlight"),
      h("button", { type: "button", class: "button small secondary", dataset: { focusKey: `answer-${question.id}` },
        "aria-label": `Mark answered: ${short}`, onclick: act("answer") }, "Mark answered"),
      h("button", { type: "button", class: "button small secondary", dataset: { focusKey: `dismiss-${question.id}` },
        "aria-label": `Dismiss: ${short}`, onclick: act("dismiss") }, "Dismiss"));
  }
  const labelsInput = h("input", { type: "text", id: `labels-${question.id}`, value: (question.labels || []).join(", "),
    dataset: { focusKey: `labels-${question.id}` },
    "aria-describedby": `labels-help-${question.id}` });
  const labelsForm = h("form", { class: "labels-form" },
    h("label", { for: `labels-${question.id}` }, "Labels"),
    labelsInput,
    h("span", { class: "muted small", id: `labels-help-${question.id}` }, "Up to 5, separated by commas."),
    h("div", {}, h("button", { type: "submit", class: "button small secondary" }, "Save labels")));
  labelsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const labels = labelsInput.value.split(",").map((label) => label.trim()).filter(Boolean);
    const reply = await busy(labelsForm.querySelector("button"), error, () => send("qa.label", { question: question.id, labels }));
    if (reply && question.status === "answered") loadAnswered();
  });
  return h("li", { class: `question${question.highlighted ? " highlighted" : ""}`, dataset: { question: question.id } },
    voteCount(question),
    h("div", { class: "q-body" }, questionBody(question, zone, { showStatus: true })),
    h("div", { class: "q-actions" }, actions,
      h("details", {}, h("summary", {}, "Labels…"), labelsForm)),
    error);
}

function renderLive() {
  const list = live.view === "visible" ? questions.sorted("votes") : live.answered;
  syncList(live.list, list, {
    key: (q) => `${q.status}-${q.id}`,
    // Votes change often: they are patched in place, not a reason to redraw (an open
    // labels editor would close).
    signature: (q) => JSON.stringify([q.text, q.status, q.highlighted, q.labels, q.author]),
    create: liveItem,
    patch: (node, q) => node.querySelector(".q-votes").replaceWith(voteCount(q)),
  });
  live.empty.hidden = list.length > 0;
  live.count.textContent = `(${questions.visible.size})`;
  const current = questions.highlighted;
  highlight.hidden = !current;
  highlight.querySelector("[data-highlight-body]").replaceChildren(...(current ? questionBody(current, zone) : []));
}

async function loadAnswered() {
  const reply = await busy(null, live.error, () => send("qa.list", { status: "answered", sort: "recent" }));
  if (reply) live.answered = reply.questions;
  renderLive();
}

for (const button of live.root.querySelectorAll("[data-qa-view]")) {
  button.addEventListener("click", () => {
    live.view = button.dataset.qaView;
    for (const other of live.root.querySelectorAll("[data-qa-view]")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
    if (live.view === "answered") loadAnswered();
    else renderLive();
  });
}

questions.onChange((kind, detail) => {
  if (kind === "queue") {
    setQueueCount(detail.pending);
    loadQueue();
    return;
  }
  if (kind === "settings") renderSettings();
  if (kind === "removed" && detail.status === "answered" && live.view === "answered") {
    loadAnswered();
    return;
  }
  renderLive();
});

// --- polls ------------------------------------------------------------------------------------

const pollsBox = {
  root: document.getElementById("polls"),
  polls: new Map(),
};
pollsBox.list = pollsBox.root.querySelector("[data-polls-console]");
pollsBox.empty = pollsBox.root.querySelector("[data-polls-empty]");
const pollForm = pollsBox.root.querySelector("[data-poll-form]");

function pollCard(poll) {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const act = (type) => async (event) => {
    const reply = await busy(event.currentTarget, error, () => send(type, { poll: poll.id }));
    if (reply) {
      pollsBox.polls.set(poll.id, reply.poll);
      renderPolls();
      pollsBox.list.querySelector(`[data-poll="${poll.id}"] button`)?.focus();
    }
  };
  const status = { draft: "Draft", open: "Open", closed: "Closed" }[poll.status];
  const resultsWord = { live: "results live", hidden: "results when closed", moderators: "results for moderators" }[poll.results];
  return h("article", { class: `poll ${poll.status}`, dataset: { poll: poll.id } },
    h("p", { class: "poll-status" }, h("span", { class: `badge${poll.status === "open" ? " live" : ""}` }, status), " ",
      h("span", { class: "muted" }, `${poll.multiple ? "several answers" : "one answer"} · ${resultsWord}`)),
    h("h3", {}, poll.question),
    poll.status === "draft" ? h("ul", {}, poll.options.map((option) => h("li", {}, option.text))) : pollResults(poll),
    h("div", { class: "poll-actions" },
      poll.status === "draft" ? h("button", { type: "button", class: "button small", onclick: act("poll.open") }, "Open the poll") : null,
      poll.status === "open" ? h("button", { type: "button", class: "button small secondary", onclick: act("poll.close") }, "Close the poll") : null),
    error);
}

function renderPolls() {
  const order = { open: 0, draft: 1, closed: 2 };
  const polls = [...pollsBox.polls.values()].sort((a, b) => (order[a.status] - order[b.status]) || b.id - a.id);
  pollsBox.list.replaceChildren(...polls.map(pollCard));
  pollsBox.empty.hidden = polls.length > 0;
}

function updatePoll(poll) {
  const old = pollsBox.polls.get(poll.id) || {};
  pollsBox.polls.set(poll.id, { ...old, ...poll, counts: poll.counts ?? old.counts ?? null,
    participants: poll.participants ?? old.participants ?? null });
  renderPolls();
}

client.on("poll.opened", room, (data) => updatePoll(data.poll));
client.on("poll.closed", room, (data) => updatePoll(data.poll));
client.on("poll.results", room, (data) => {
  const poll = pollsBox.polls.get(data.poll);
  if (!poll) return;
  poll.counts = data.counts;
  poll.participants = data.participants;
  const card = pollsBox.list.querySelector(`[data-poll="${poll.id}"]`);
  const old = card && card.querySelector(".poll-results");
  if (old) old.replaceWith(pollResults(poll));
  else renderPolls();
});

async function loadPolls() {
  const reply = await busy(null, null, () => send("poll.list"));
  if (!reply) return;
  pollsBox.polls = new Map(reply.polls.map((poll) => [poll.id, poll]));
  renderPolls();
}

pollForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = pollForm.querySelector("[data-poll-error]");
  const question = pollForm.elements.question.value.trim();
  const options = pollForm.elements.options.value.split("\n").map((line) => line.trim()).filter(Boolean);
  if (!question) {
    showError(error, { message: "Write the poll's question." });
    pollForm.elements.question.focus();
    return;
  }
  if (options.length < 2) {
    showError(error, { message: "Give at least two answers, one per line." });
    pollForm.elements.options.focus();
    return;
  }
  const reply = await busy(pollForm.querySelector("button[type=submit]"), error, () => send("poll.create", {
    question, options, multiple: pollForm.elements.multiple.checked, results: pollForm.elements.results.value,
  }));
  if (reply) {
    pollForm.reset();
    clearError(error);
    updatePoll(reply.poll);
    pollsBox.list.querySelector(`[data-poll="${reply.poll.id}"] button`)?.focus();
  }
});

// --- chat: slow mode ---------------------------------------------------------------------------

const slowForm = document.querySelector("[data-slow-form]");
slowForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const seconds = Number(slowForm.elements.seconds.value || 0);
  await busy(slowForm.querySelector("button"), slowForm.querySelector("[data-slow-error]"),
    () => send("chat.slow_mode", { seconds }));
});
client.on("chat.settings", room, (data) => { slowForm.elements.seconds.value = data.slow_mode_seconds; });

// --- joining -----------------------------------------------------------------------------------

function onState(reply) {
  const state = reply.state;
  chrome.load(state);
  chat.load(state.chat || { messages: [] });
  slowForm.elements.seconds.value = (state.chat || {}).slow_mode_seconds || 0;
  questions.load(state.questions || {});
  setQueueCount(questions.pendingCount || 0);
  renderSettings();
  renderLive();
  loadQueue();
  loadPolls();
  if (live.view === "answered") loadAnswered();
  document.body.dataset.roomReady = "true";
}

// After a reconnect that replayed the missed events: the queue and poll results travel as
// hints and snapshots, which are not replayed, so fetch them again.
function onCaughtUp() {
  loadQueue();
  loadPolls();
}

client.join(room, { onState, onCaughtUp, onError: (error) => chrome.joinFailed(error) })
  .catch((error) => chrome.joinFailed(error));
