// Live in-app notifications: the unread badge in the header (and the list on the
// notifications page) update when a `notification` push arrives on the tab's websocket.
// Uses the live-room client's socket when the page has one (window.conferenceSocket),
// otherwise opens the tab's one socket to /ws/ (see docs/reminders.md).
(function () {
  "use strict";
  var badge = document.querySelector("[data-unread-count]");
  if (!badge) return;
  var live = document.getElementById("notification-live");

  function show(data) {
    badge.textContent = String(data.unread);
    badge.hidden = data.unread === 0;
    badge.setAttribute("aria-label", data.unread + " unread");
    if (live) live.textContent = "New notification: " + data.title;
    var list = document.querySelector("[data-notifications]");
    if (list) {
      var item = document.createElement("li");
      item.className = "card unread";
      item.dataset.kind = data.kind;
      var title = document.createElement(data.url ? "a" : "strong");
      if (data.url) title.href = data.url;
      title.textContent = data.title;
      item.appendChild(title);
      if (data.body) { var p = document.createElement("p"); p.textContent = data.body; item.appendChild(p); }
      list.insertBefore(item, list.firstChild);
    }
  }

  function onMessage(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (e) { return; }
    if (frame && frame.type === "hello") badge.dataset.live = "1";  // subscribed: pushes reach this tab
    if (frame && frame.type === "notification" && frame.data) show(frame.data);
    if (frame && frame.type === "connection.replaced") stopped = true;  // too many tabs: this one yields
  }

  var stopped = false, delay = 1000;
  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/");
    socket.addEventListener("open", function () { delay = 1000; });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function () {
      delete badge.dataset.live;
      if (stopped) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }

  if (window.conferenceSocket && window.conferenceSocket.addEventListener) {
    window.conferenceSocket.addEventListener("message", onMessage);
  } else if ("WebSocket" in window) {
    connect();
  }
})();
