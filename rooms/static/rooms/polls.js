// Polls: voting (attendees) and the results bars (everyone who may see them).

import { announce, busy, h, showError } from "./ui.js";

const RESULTS_TEXT = {
  live: "Results are shown live.",
  hidden: "Results are shown when the poll closes.",
  moderators: "Results are seen by the moderators only.",
};

/** Result bars of a poll, or null when its results are not shown to this person. */
export function pollResults(poll) {
  if (!poll.counts) return null;
  const total = Object.values(poll.counts).reduce((sum, n) => sum + n, 0);
  return h("div", { class: "poll-results" },
    h("ul", { class: "bars" }, poll.options.map((option) => {
      const count = poll.counts[String(option.id)] || 0;
      const share = total ? Math.round((100 * count) / total) : 0;
      return h("li", {},
        h("span", { class: "bar-label" }, option.text),
        h("span", { class: "bar", role: "img", "aria-label": `${option.text}: ${count} ${count === 1 ? "vote" : "votes"}, ${share}%` },
          h("span", { class: "bar-fill", style: `width: ${share}%` })),
        h("span", { class: "bar-count", "aria-hidden": "true" }, `${count} · ${share}%`));
    })),
    h("p", { class: "participants" }, `${poll.participants ?? 0} ${poll.participants === 1 ? "participant" : "participants"}`));
}

/** Polls for attendees: the open ones (and those closed while the page was open). */
export class PollsPanel {
  constructor(root, { client, room, loggedIn = true }) {
    Object.assign(this, { root, client, room, loggedIn });
    this.list = root.querySelector("[data-polls-list]");
    this.empty = root.querySelector("[data-polls-empty]");
    this.live = root.querySelector("[data-polls-announce]");
    this.polls = new Map();
    this.roomState = "open";
    client.on("poll.opened", room, (data) => {
      if (this.polls.has(data.poll.id)) return;
      this.polls.set(data.poll.id, { ...data.poll, my_votes: [] });
      this.list.prepend(this.card(this.polls.get(data.poll.id)));
      if (this.empty) this.empty.hidden = true;
      announce(this.live, `New poll: ${data.poll.question}`);
    });
    client.on("poll.closed", room, (data) => {
      const old = this.polls.get(data.poll.id);
      this.polls.set(data.poll.id, { ...data.poll, my_votes: old ? old.my_votes : [],
        counts: data.poll.counts ?? (old ? old.counts : null), participants: data.poll.participants ?? (old ? old.participants : null) });
      this.update(data.poll.id);
      announce(this.live, `Poll closed: ${data.poll.question}`);
    });
    client.on("poll.results", room, (data) => {
      const poll = this.polls.get(data.poll);
      if (!poll) return;
      poll.counts = data.counts;
      poll.participants = data.participants;
      this.renderResults(poll);
    });
  }

  load(state) {
    this.polls = new Map((state.open || []).map((poll) => [poll.id, poll]));
    this.render();
  }

  setRoomState(state) {
    this.roomState = state;
    this.render();
  }

  render() {
    const polls = [...this.polls.values()].sort((a, b) => (a.status === b.status ? b.id - a.id : a.status === "open" ? -1 : 1));
    const active = document.activeElement;
    const focusKey = active && this.list.contains(active) ? active.dataset.focusKey : null;
    this.list.replaceChildren(...polls.map((poll) => this.card(poll)));
    if (this.empty) this.empty.hidden = polls.length > 0;
    if (focusKey) {
      const again = this.list.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
      if (again) again.focus();
    }
  }

  /** Redraw one poll (keeping focus on its button), leaving half-filled others alone. */
  update(id) {
    const card = this.list.querySelector(`[data-poll="${id}"]`);
    if (!card) {
      this.render();
      return;
    }
    const hadFocus = card.contains(document.activeElement);
    const fresh = this.card(this.polls.get(id));
    card.replaceWith(fresh);
    if (hadFocus) (fresh.querySelector("button") || fresh.querySelector("input"))?.focus();
  }

  renderResults(poll) {
    const card = this.list.querySelector(`[data-poll="${poll.id}"]`);
    if (!card) return;
    const slot = card.querySelector("[data-results]");
    slot.replaceChildren(pollResults(poll) || "");
  }

  card(poll) {
    const open = poll.status === "open";
    const name = `poll-${poll.id}`;
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const note = h("p", { class: "muted", "aria-live": "polite" },
      poll.my_votes && poll.my_votes.length ? (open ? "Your vote is counted. You can change it while the poll is open." : "You voted.") : "");
    const canVote = open && this.loggedIn && this.roomState !== "closed";
    const options = poll.options.map((option) => {
      const id = `${name}-option-${option.id}`;
      return h("li", {},
        h("input", { type: poll.multiple ? "checkbox" : "radio", name, id, value: option.id,
          checked: (poll.my_votes || []).includes(option.id), disabled: !canVote }),
        h("label", { for: id }, option.text));
    });
    const submit = h("button", { type: "submit", class: "button", disabled: !canVote, dataset: { focusKey: `vote-${poll.id}` } },
      poll.my_votes && poll.my_votes.length ? "Change my vote" : "Vote");
    const form = h("form", { class: "poll-form" },
      h("fieldset", {},
        h("legend", {}, poll.question),
        h("p", { class: "muted" }, poll.multiple ? "Choose one or more." : "Choose one."),
        h("ul", { class: "options" }, options)),
      open ? submit : null,
      error, note);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = [...form.querySelectorAll("input:checked")].map((input) => Number(input.value));
      if (!chosen.length) {
        showError(error, { message: "Choose an answer first." });
        return;
      }
      const reply = await busy(submit, error, () => this.client.send("poll.vote", { room: this.room, poll: poll.id, options: chosen }));
      if (reply) {
        this.polls.set(poll.id, { ...reply.poll });
        this.update(poll.id);
        this.list.querySelector(`[data-poll="${poll.id}"] [data-focus-key]`)?.focus();
      }
    });
    return h("article", { class: `poll ${poll.status}`, dataset: { poll: poll.id } },
      h("p", { class: "poll-status" }, h("span", { class: `badge${open ? " live" : ""}` }, open ? "Open" : "Closed"),
        " ", h("span", { class: "muted" }, RESULTS_TEXT[poll.results] || "")),
      form,
      h("div", { dataset: { results: "" } }, pollResults(poll)));
  }
}
