// Client of the live rooms' websocket protocol (docs/asyncapi.json, rooms/protocol.py).
//
// One RoomClient per tab holds one WebSocket to /ws/ and multiplexes every room the tab
// is in. Commands get a correlation id and return a Promise of the reply's data; an error
// reply rejects it with a CommandError {code, message, field}. Pushes are delivered to the
// handlers registered with on(type, room, fn).
//
// Reliability: a ping every 25 s (a missing pong drops the socket); automatic reconnect
// with exponential backoff and jitter; on reconnect every room is joined again with the
// last sequence number and epoch seen, so the server replays what was missed (or answers
// "resync" with a fresh state, handed to the room's onState). Sequenced pushes already
// seen (seq <= last seen) are ignored, so replays never apply twice. "connection.replaced"
// (too many tabs) stops the client for good: it does not fight the newer tab.

const PING_EVERY_MS = 25000;
const PONG_TIMEOUT_MS = 10000;
const QUEUE_TIMEOUT_MS = 20000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30000;
const CLOSE_REPLACED = 4001;

export class CommandError extends Error {
  constructor(code, message, field = null) {
    super(message);
    this.name = "CommandError";
    this.code = code;
    this.field = field;
  }
}

function defaultUrl(path = "/ws/") {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

export class RoomClient {
  constructor({ url = null, path = "/ws/" } = {}) {
    this.url = url || defaultUrl(path);
    this.socket = null;
    this.status = "idle"; // idle | connecting | open | reconnecting | replaced | closed
    this.ready = false; // open, greeted, and every room joined again
    this.user = undefined; // user id from the "hello" push (null: not logged in)
    this.rooms = new Map(); // room id -> {lastSeq, epoch, handlers, joined, loading}
    this._nextId = 1;
    this._pending = new Map(); // correlation id -> {resolve, reject, type}
    this._queue = []; // commands waiting for the connection: {frame, resolve, reject, timer}
    this._listeners = new Map(); // push type -> Set of {room, fn}
    this._attempt = 0;
    this._retryTimer = null;
    this._pingTimer = null;
    this._stopped = false;
    this._retryAt = null;
    window.addEventListener("online", () => this.reconnectNow());
  }

  // --- connection ---------------------------------------------------------------------

  connect() {
    this._stopped = false;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
    this._setStatus(this._attempt ? "reconnecting" : "connecting");
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (error) {
      this._scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener("message", (event) => this._onFrame(socket, event.data));
    socket.addEventListener("close", (event) => this._onClose(socket, event.code));
  }

  /** Skip the backoff wait (the "Reconnect now" button, or the browser going online). */
  reconnectNow() {
    if (this._stopped || this.status === "replaced" || !this._retryTimer) return;
    clearTimeout(this._retryTimer);
    this._retryTimer = null;
    this.connect();
  }

  /** Close for good (leaving the page). */
  close() {
    this._stopped = true;
    clearTimeout(this._retryTimer);
    if (this.socket) this.socket.close(1000);
    this._setStatus("closed");
  }

  _onClose(socket, code) {
    if (socket !== this.socket) return; // an old socket we already gave up on
    this.socket = null;
    this.ready = false;
    clearInterval(this._pingTimer);
    for (const [id, pending] of this._pending) {
      pending.reject(new CommandError("disconnected",
        "The connection dropped before the server answered. Check whether it went through, then retry."));
      this._pending.delete(id);
    }
    for (const entry of this.rooms.values()) entry.joined = false;
    if (code === CLOSE_REPLACED || this.status === "replaced") {
      this._setStatus("replaced");
      this._failQueue("replaced", "This tab was disconnected because the room is open in too many tabs.");
      return;
    }
    if (this._stopped) return;
    this._scheduleReconnect();
  }

  _scheduleReconnect() {
    // Exponential backoff with jitter: a random wait between half and all of a ceiling
    // that doubles per attempt (0.5 s, 1 s, 2 s … 30 s), so that a thousand tabs cut off
    // at once do not all come back at the same moment.
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this._attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this._attempt += 1;
    this._retryAt = Date.now() + delay;
    this._setStatus("reconnecting", { delay, attempt: this._attempt });
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => {
      this._retryTimer = null;
      this.connect();
    }, delay);
  }

  async _onHello(data) {
    this.user = data.user_id;
    this._attempt = 0;
    clearInterval(this._pingTimer);
    this._pingTimer = setInterval(() => this._ping(), PING_EVERY_MS);
    const socket = this.socket;
    await Promise.all([...this.rooms.keys()].map((room) => this._join(room).catch(() => {})));
    if (socket !== this.socket) return;
    this.ready = true;
    this._setStatus("open");
    const queued = this._queue.splice(0);
    for (const item of queued) {
      clearTimeout(item.timer);
      this._transmit(item.frame, item.resolve, item.reject);
    }
  }

  _ping() {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const timer = setTimeout(() => {
      // No pong: the connection is dead without the browser noticing. Give up on it.
      if (socket === this.socket) {
        socket.close();
        this._onClose(socket, 1006);
      }
    }, PONG_TIMEOUT_MS);
    this._transmit({ type: "ping" }, () => clearTimeout(timer), () => clearTimeout(timer));
  }

  // --- commands -----------------------------------------------------------------------

  /** Send a command; resolves with the reply's data, rejects with a CommandError. */
  send(type, fields = {}) {
    return new Promise((resolve, reject) => {
      const frame = { type, ...fields };
      if (this.ready) {
        this._transmit(frame, resolve, reject);
        return;
      }
      if (this.status === "replaced" || this._stopped) {
        reject(new CommandError("offline", "Not connected. Reload the page to reconnect."));
        return;
      }
      const item = { frame, resolve, reject, timer: null };
      item.timer = setTimeout(() => {
        this._queue.splice(this._queue.indexOf(item), 1);
        reject(new CommandError("offline", "Not connected at the moment. Check your connection and try again."));
      }, QUEUE_TIMEOUT_MS);
      this._queue.push(item);
    });
  }

  _transmit(frame, resolve, reject) {
    const id = `c${this._nextId++}`;
    this._pending.set(id, { resolve, reject, type: frame.type });
    try {
      this.socket.send(JSON.stringify({ id, ...frame }));
    } catch (error) {
      this._pending.delete(id);
      reject(new CommandError("disconnected", "Not connected. Retrying…"));
    }
  }

  _failQueue(code, message) {
    for (const item of this._queue.splice(0)) {
      clearTimeout(item.timer);
      item.reject(new CommandError(code, message));
    }
  }

  // --- rooms --------------------------------------------------------------------------

  /**
   * Join a room. handlers.onState(reply, {resync}) receives the room's full state (the
   * first time, and whenever the server says "resync"); handlers.onCaughtUp(reply) after
   * a reconnect that replayed the missed events; handlers.onError(error) when joining
   * again after a reconnect fails (e.g. the room was closed meanwhile).
   */
  join(room, handlers = {}) {
    return new Promise((resolve, reject) => {
      const entry = { lastSeq: null, epoch: null, handlers, joined: false, loading: true, catchingUp: false,
                      firstJoin: { resolve, reject } };
      this.rooms.set(room, entry);
      if (!this.socket) this.connect();
      if (this.ready) this._join(room).catch(() => {});
      // Otherwise _onHello joins it as soon as the socket is up.
    });
  }

  async leave(room) {
    const entry = this.rooms.get(room);
    this.rooms.delete(room);
    if (entry && entry.joined && this.ready) await this.send("room.leave", { room });
  }

  async _join(room) {
    const entry = this.rooms.get(room);
    if (!entry) return null;
    const fields = { room };
    if (entry.lastSeq !== null && !entry.loading) {
      fields.last_seq = entry.lastSeq;
      fields.epoch = entry.epoch;
    }
    let data;
    try {
      data = await new Promise((resolve, reject) => this._transmit({ type: "room.join", ...fields }, resolve, reject));
    } catch (error) {
      entry.catchingUp = false;
      if (error.code === "disconnected") throw error; // joined again after reconnecting
      if (entry.firstJoin) {
        this.rooms.delete(room); // never got in: nothing to rejoin later
        entry.firstJoin.reject(error);
      } else if (entry.handlers.onError) {
        entry.handlers.onError(error);
      }
      throw error;
    }
    entry.epoch = data.epoch;
    entry.catchingUp = false;
    entry.joined = true;
    if (data.state) {
      entry.lastSeq = data.seq;
      entry.loading = false;
      if (entry.handlers.onState) entry.handlers.onState(data, { resync: Boolean(data.resync) });
    } else {
      entry.lastSeq = Math.max(entry.lastSeq ?? 0, data.seq);
      if (entry.handlers.onCaughtUp) entry.handlers.onCaughtUp(data);
    }
    if (data.presence) this._dispatch({ type: "presence", room, seq: null, data: data.presence });
    if (entry.firstJoin) {
      entry.firstJoin.resolve(data);
      entry.firstJoin = null;
    }
    return data;
  }

  /** Forget what was seen and load the room's state afresh (room.resync, or a gap). */
  _reload(room) {
    const entry = this.rooms.get(room);
    if (!entry || entry.loading || !this.socket) return;
    entry.loading = true;
    this._join(room).catch(() => {});
  }

  // --- pushes -------------------------------------------------------------------------

  /** Call fn(data, push) for pushes of `type` ("*" for all) in `room` (null: any room). */
  on(type, room, fn) {
    if (!this._listeners.has(type)) this._listeners.set(type, new Set());
    const listener = { room, fn };
    this._listeners.get(type).add(listener);
    return () => this._listeners.get(type).delete(listener);
  }

  _onFrame(socket, text) {
    if (socket !== this.socket) return;
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (error) {
      return;
    }
    if ("ok" in frame) {
      const pending = this._pending.get(frame.id);
      if (!pending) return; // e.g. an error about a frame without id
      this._pending.delete(frame.id);
      if (frame.ok) pending.resolve(frame.data || {});
      else pending.reject(new CommandError(frame.error.code, frame.error.message, frame.error.field || null));
      return;
    }
    this._onPush(frame);
    this._share(frame, text);
  }

  /** Hand pushes that are not about a room this client shows (notifications...) to the
   *  page's other scripts through window.conferenceSocket (see socket-slot.js). */
  _share(push, text) {
    const shared = window.conferenceSocket;
    if (!shared || shared === this || typeof shared.dispatchEvent !== "function") return;
    if (push.room !== null && push.room !== undefined && this.rooms.has(push.room)) return;
    shared.dispatchEvent(new MessageEvent("message", { data: text }));
  }

  _onPush(push) {
    if (push.type === "hello") {
      this._onHello(push.data);
      return;
    }
    if (push.type === "connection.replaced") {
      this._setStatus("replaced", push.data);
    }
    if (push.room !== null && push.room !== undefined && this.rooms.has(push.room)) {
      const entry = this.rooms.get(push.room);
      if (push.type === "room.resync") {
        this._dispatch(push);
        this._reload(push.room);
        return;
      }
      if (push.seq !== null && push.seq !== undefined) {
        if (entry.loading) return; // the state being loaded already includes it
        if (entry.lastSeq !== null && push.seq <= entry.lastSeq) return; // seen (a replay)
        if (entry.lastSeq !== null && push.seq > entry.lastSeq + 1) {
          // Something went missing: ask for the rest again (the server replays it in
          // order, then sends what follows) rather than showing a hole.
          if (!entry.catchingUp && entry.joined) {
            entry.catchingUp = true;
            this._join(push.room).catch(() => {});
          }
          return;
        }
        entry.lastSeq = push.seq;
      }
    }
    this._dispatch(push);
  }

  _dispatch(push) {
    for (const type of [push.type, "*"]) {
      const listeners = this._listeners.get(type);
      if (!listeners) continue;
      for (const { room, fn } of [...listeners]) {
        if (room !== null && room !== undefined && room !== push.room) continue;
        try {
          fn(push.data, push);
        } catch (error) {
          console.error(`handler of ${push.type} failed`, error); // eslint-disable-line no-console
        }
      }
    }
  }

  _setStatus(status, detail = {}) {
    this.status = status;
    this._dispatch({ type: "connection.status", room: null, seq: null, data: { status, ...detail } });
  }
}
