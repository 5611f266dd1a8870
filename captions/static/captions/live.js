// Live captions in the room: the lines (caption.added pushes, and the recent ones from the join
// state) appear under the stage in an aria-live log, and as cues of a "captions" text track on
// the playing video, so the player's own captions button and full screen show them too.

const SHOWN = 3; // lines under the stage
const CUE_SECONDS = 7;

export class LiveCaptions {
  constructor(root, { client, room, stageRoot, lang = "en" }) {
    this.root = root;
    this.lines = root.querySelector("[data-caption-lines]");
    this.stageRoot = stageRoot;
    this.lang = lang;
    this.seen = new Set();
    client.on("caption.added", room, (data) => this.add(data));
  }

  load(state) {
    for (const line of (state && state.recent) || []) this.add(line, { cue: false });
  }

  add(line, { cue = true } = {}) {
    if (this.seen.has(line.id)) return;
    this.seen.add(line.id);
    this.root.hidden = false;
    const item = document.createElement("p");
    item.className = "caption-line";
    item.dataset.caption = String(line.id);
    item.textContent = line.text;
    this.lines.append(item);
    while (this.lines.children.length > SHOWN) this.lines.firstElementChild.remove();
    if (cue) this.cue(line.text);
  }

  cue(text) {
    const video = this.stageRoot && this.stageRoot.querySelector("video[data-stage-video]");
    if (!video || typeof VTTCue === "undefined") return;
    let track = [...video.textTracks].find((t) => t.label === "Live captions");
    if (!track) {
      track = video.addTextTrack("captions", "Live captions", this.lang);
      track.mode = "showing";
    }
    const now = video.currentTime || 0;
    track.addCue(new VTTCue(now, now + CUE_SECONDS, text));
  }
}
