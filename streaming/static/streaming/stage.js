// The stage of a room: what the session's stream looks like in each state.
//   scheduled / backstage: "starting soon" with a countdown; live: the HLS player (hls.js, or
//   the browser's own HLS); interrupted: "reconnecting…" over the player; ended; replay: the
//   recordings. External sources: a YouTube/Vimeo embed, an external HLS URL, or a call link.
// The stage part of the room.join state carries this viewer's signed playback prefix; the
// `stage.state` pushes carry the changes (the same fields, without the personal URLs).

const LABELS = {
  scheduled: "Starting soon",
  backstage: "Starting soon",
  live: "Live",
  interrupted: "Reconnecting…",
  ended: "This session has ended",
  replay_available: "Replay",
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function countdown(target, now = Date.now()) {
  const seconds = Math.round((target - now) / 1000);
  if (seconds <= 0) return "Starting in a moment";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return `Starts in ${h ? `${h}:${pad(m)}` : m}:${pad(s)}`;
}

export class StagePlayer {
  /** root: the stage screen element; options: {client, room, title, live (announcer element), preview,
   *  captions: {replayTrackBase, lang} when the room has captions (each replay gets its WebVTT track)} */
  constructor(root, { client, room, title = "", live = null, preview = false, captions = null }) {
    this.captions = captions;
    this.root = root;
    this.client = client;
    this.room = room;
    this.title = title;
    this.announcer = live;
    this.preview = preview; // the backstage page: the speaker's own stream also while backstage
    this.stage = null;
    this.hls = null;
    this.video = null;
    this.timer = null;
    if (client) client.on("stage.state", room, (data) => this.update(data));
  }

  /** The full stage from the room.join state. */
  load(stage) {
    if (!stage) return;
    this.stage = { ...stage };
    this.render();
  }

  /** A stage.state push: keep the personal URLs, take the rest. */
  update(data) {
    if (!this.stage) return;
    const { hls_url: hlsUrl, playback } = this.stage;
    this.stage = { ...data, hls_url: hlsUrl, playback };
    this.render();
    if (this.announcer) this.announcer.textContent = `Stage: ${LABELS[data.state] || data.state}`;
  }

  get playing() {
    const s = this.stage;
    if (!s) return false;
    if (s.source === "hls") return true;
    return s.source === "ingest" && (s.state === "live" || s.state === "interrupted"
      || (this.preview && s.state === "backstage"));
  }

  render() {
    const s = this.stage;
    this.root.dataset.stagePhase = s.state;
    this.root.dataset.stageSource = s.source;
    clearInterval(this.timer);
    if (!this.playing) this.stopPlayer();
    if (s.source === "youtube" || s.source === "vimeo") return this.show(this.embed(s));
    if (s.source === "call") return this.show(this.callLink(s));
    if (this.playing) return this.show(this.player(s));
    if (s.state === "replay_available" && s.replays.length) return this.show(this.replays(s));
    if (s.state === "ended" || s.state === "replay_available") {
      return this.show(this.card(LABELS.ended, s.replay_enabled ? "The recording will be available here soon."
        : "There is no replay of this session."));
    }
    const note = s.state === "backstage" ? "The speaker is getting ready." : "The stream appears here.";
    const card = this.card(LABELS[s.state], note);
    const count = el("p", { class: "stage-countdown", "data-stage-countdown": true });
    card.append(count);
    const starts = Date.parse(s.starts_at);
    const tick = () => { count.textContent = countdown(starts); };
    tick();
    this.timer = setInterval(tick, 1000);
    return this.show(card);
  }

  show(node) {
    const keep = this.video && node.contains(this.video);
    if (!keep) this.root.replaceChildren(node);
    else this.root.replaceChildren(node);
  }

  card(state, note) {
    return el("div", { class: "stage-card" }, el("p", { class: "stage-title" }, this.title),
      el("p", { class: "stage-state", "data-stage-label": true }, state), el("p", { class: "stage-note" }, note));
  }

  embed(s) {
    if (!s.embed_url) return this.card("External stream", "The organisers have not set a playable video yet.");
    return el("iframe", {
      class: "stage-embed", src: s.embed_url, title: `Video: ${this.title}`, loading: "lazy",
      allow: "autoplay; fullscreen; picture-in-picture; encrypted-media", allowfullscreen: true,
      referrerpolicy: "strict-origin-when-cross-origin",
    });
  }

  callLink(s) {
    const card = this.card("Video call", "This session takes place in a video call.");
    card.append(el("p", {}, el("a", { class: "button", href: s.external_url, target: "_blank",
      rel: "noopener noreferrer", "data-stage-call": true }, "Join the video call")));
    return card;
  }

  player(s) {
    const wrap = el("div", { class: "stage-player" });
    const url = s.source === "hls" ? s.external_url || s.hls_url : s.hls_url;
    if (!this.video || this.videoUrl !== url) this.startPlayer(url);
    wrap.append(this.video);
    if (s.state === "interrupted" && s.source === "ingest") {
      wrap.append(el("p", { class: "stage-overlay", role: "status" }, LABELS.interrupted));
    } else if (this.video.muted) {
      wrap.append(el("button", { type: "button", class: "stage-unmute", onclick: (event) => {
        this.video.muted = false;
        event.currentTarget.remove();
      } }, "🔇 Unmute"));
    }
    if (s.state === "backstage") wrap.append(el("p", { class: "stage-overlay" }, "Preview: attendees do not see this yet"));
    return wrap;
  }

  startPlayer(url) {
    this.stopPlayer();
    const video = el("video", { class: "stage-video", "data-stage-video": true, playsinline: true, controls: true,
      "aria-label": `Live stream: ${this.title}` });
    video.muted = true; // browsers only autoplay muted video; the Unmute button is one click away
    video.autoplay = true;
    video.addEventListener("playing", () => { this.root.dataset.playing = "true"; });
    this.video = video;
    this.videoUrl = url;
    const Hls = window.Hls;
    if (Hls && Hls.isSupported()) {
      this.hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 1000, levelLoadingMaxRetry: 1000,
        fragLoadingMaxRetry: 20, manifestLoadingRetryDelay: 1000 });
      this.hls.on(Hls.Events.FRAG_LOADED, () => { this.root.dataset.fragments = String(Number(this.root.dataset.fragments || 0) + 1); });
      this.hls.on(Hls.Events.ERROR, (event, data) => {
        if (!data.fatal) return;
        // A live stream that is not there yet (backstage, reconnecting): try again shortly.
        setTimeout(() => { if (this.hls && this.videoUrl === url) { this.hls.loadSource(url); this.hls.startLoad(); } }, 2000);
      });
      this.hls.loadSource(url);
      this.hls.attachMedia(video);
    } else {
      video.src = url; // Safari and iOS play HLS themselves
    }
    video.play().catch(() => {});
  }

  stopPlayer() {
    if (this.hls) this.hls.destroy();
    this.hls = null;
    if (this.video) this.video.removeAttribute("src");
    this.video = null;
    this.videoUrl = null;
    delete this.root.dataset.playing;
  }

  replays(s) {
    const wrap = el("div", { class: "stage-replay" });
    s.replays.forEach((replay, i) => {
      const video = el("video", { class: "stage-video", controls: true, preload: "metadata", "data-stage-replay": true,
        src: `${s.playback}replay/${encodeURIComponent(replay.name)}`,
        "aria-label": `Recording${s.replays.length > 1 ? ` part ${i + 1}` : ""}: ${this.title}` });
      if (this.captions) {
        // The live captions, timed to this recording, as the player's captions track.
        video.append(el("track", { kind: "captions", label: "Captions", srclang: this.captions.lang, default: true,
          src: `${this.captions.replayTrackBase}${encodeURIComponent(replay.name)}.vtt` }));
      }
      wrap.append(video);
    });
    return wrap;
  }
}
