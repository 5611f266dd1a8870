// The captioner page: each line is POSTed to the captions API (session cookie + CSRF header);
// the room's stage shows it at once through the websocket. Errors (too fast, too long) are said.

const form = document.querySelector("[data-captioner]");
const text = form.querySelector("textarea");
const error = form.querySelector("[data-caption-error]");
const status = form.querySelector("[data-caption-status]");
const history = document.querySelector("[data-caption-history]");

function csrfToken() {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function send() {
  const line = text.value.trim();
  if (!line) return;
  error.hidden = true;
  const response = await fetch(form.dataset.api, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify({ text: line }),
  }).catch(() => null);
  if (!response) {
    error.textContent = "The line could not be sent: check the connection and send it again.";
    error.hidden = false;
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    error.textContent = body.message || `The line was refused (HTTP ${response.status}).`;
    error.hidden = false;
    return;
  }
  text.value = "";
  const item = document.createElement("li");
  const time = document.createElement("time");
  time.dateTime = body.created_at;
  time.textContent = new Date(body.created_at).toLocaleTimeString();
  item.append(time, " ", body.text);
  history.append(item);
  status.textContent = "Sent.";
}

form.addEventListener("submit", (event) => { event.preventDefault(); send(); });
text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); send(); }
});
document.body.dataset.captionerReady = "true";
