// The speakers' backstage page: the stage state live, a preview of one's own stream once it
// is publishing, copy buttons, and the moderator's Go live / End buttons.

import { RoomClient } from "../rooms/client.js";
import { RoomChrome } from "../rooms/room-chrome.js";
import { readConfig } from "../rooms/ui.js";
import { StagePlayer } from "./stage.js";

const config = readConfig();
const room = config.room;
const client = new RoomClient({ path: config.wsPath });
window.__roomClient = client;
const chrome = new RoomChrome(document, client, room, config.viewerZone);
const root = document.querySelector("[data-stage]");
const stage = new StagePlayer(root, { client, room, title: root.dataset.title, preview: true,
  live: document.querySelector("[data-stage-announce]") });
const stateLabel = document.querySelector("[data-backstage-state]");
const errorBox = document.querySelector("[data-backstage-error]");
const NAMES = { scheduled: "Scheduled", backstage: "Backstage (you are connected; attendees do not see you yet)",
  live: "Live", interrupted: "Interrupted (reconnecting…)", ended: "Ended", replay_available: "Replay available" };

function showState(state) {
  stateLabel.textContent = NAMES[state] || state;
  for (const button of document.querySelectorAll("[data-go-live]")) button.disabled = state !== "backstage";
  for (const button of document.querySelectorAll("[data-end]")) button.disabled = state === "ended" || state === "replay_available";
}

client.on("stage.state", room, (data) => showState(data.state));

async function run(type) {
  errorBox.hidden = true;
  try {
    await client.send(type, { room });
  } catch (error) {
    errorBox.textContent = error.message;
    errorBox.hidden = false;
  }
}
for (const button of document.querySelectorAll("[data-go-live]")) button.addEventListener("click", () => run("stage.go_live"));
for (const button of document.querySelectorAll("[data-end]")) button.addEventListener("click", () => run("stage.end"));

for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    const text = button.parentElement.querySelector("[data-copy-source]").textContent;
    const status = document.querySelector("[data-copy-status]");
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied.";
    } catch (error) {
      const range = document.createRange();
      range.selectNodeContents(button.parentElement.querySelector("[data-copy-source]"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  });
}

function onState(reply) {
  chrome.load(reply.state);
  const data = reply.state.stage;
  if (data) {
    data.hls_url = config.previewUrl || data.hls_url;
    stage.load(data);
    showState(data.state);
  }
  document.body.dataset.roomReady = "true";
}

client.join(room, { onState, onError: (error) => chrome.joinFailed(error) }).catch((error) => chrome.joinFailed(error));
