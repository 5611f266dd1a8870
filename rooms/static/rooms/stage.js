// The speaker view and the projector: the highlighted question large, and the approved
// questions by votes (all of them for the speaker, the top five on the projector), live.

import { RoomClient } from "./client.js";
import { QuestionStore, authorName, questionBody, voteCount } from "./qa.js";
import { RoomChrome } from "./room-chrome.js";
import { announce, h, readConfig } from "./ui.js";

const config = readConfig();
const room = config.room;
const zone = config.viewerZone;
const projector = config.page === "projector";
const client = new RoomClient({ path: config.wsPath });
window.__roomClient = client;

const chrome = new RoomChrome(document, client, room, zone);
const questions = new QuestionStore(client, room);
const highlightBody = document.querySelector("[data-highlight-body]");
const list = document.querySelector(projector ? "[data-top-list]" : "[data-qa-list]");
const empty = document.querySelector(projector ? "[data-top-empty]" : "[data-qa-empty]");
const count = document.querySelector("[data-qa-count]");
const live = document.querySelector("[data-qa-announce]");
const TOP = 5;

function renderHighlight() {
  const current = questions.highlighted;
  if (!current) {
    highlightBody.replaceChildren(projector
      ? h("p", { class: "waiting" }, "Ask your questions — scan the code to join.")
      : h("p", { class: "none" }, "No question is highlighted."));
    return;
  }
  highlightBody.replaceChildren(...(projector
    ? [h("p", { class: "q-text" }, current.text), h("p", { class: "q-meta" }, authorName(current))]
    : questionBody(current, zone)));
}

function renderList() {
  const sorted = questions.sorted("votes");
  const shown = projector ? sorted.slice(0, TOP) : sorted;
  list.replaceChildren(...shown.map((question) => (projector
    ? h("li", { class: question.highlighted ? "highlighted" : "", dataset: { question: question.id } },
      voteCount(question), " ", h("span", { class: "q-text" }, question.text))
    : h("li", { class: `question${question.highlighted ? " highlighted" : ""}`, dataset: { question: question.id } },
      voteCount(question), h("div", { class: "q-body" }, questionBody(question, zone))))));
  if (empty) empty.hidden = shown.length > 0;
  if (count) count.textContent = `(${questions.visible.size})`;
}

questions.onChange((kind, detail) => {
  if (kind === "highlight") {
    renderHighlight();
    if (live && detail) announce(live, `On screen now: ${detail.text}`);
  }
  if (kind === "question" && detail.isNew && live) announce(live, `New question: ${detail.question.text}`);
  renderList();
});

const fullscreen = document.querySelector("[data-fullscreen]");
if (fullscreen) {
  fullscreen.hidden = !document.fullscreenEnabled;
  fullscreen.addEventListener("click", () => document.documentElement.requestFullscreen().catch(() => {}));
}

function onState(reply) {
  chrome.load(reply.state);
  questions.load(reply.state.questions || {});
  renderHighlight();
  renderList();
  document.body.dataset.roomReady = "true";
}

client.join(room, { onState, onError: (error) => chrome.joinFailed(error) })
  .catch((error) => chrome.joinFailed(error));

