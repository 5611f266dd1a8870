// Tell the server the browser's time zone (cookie `tz`), so that pages render
// times in the viewer's zone without any client-side formatting. A profile's
// own time zone takes precedence and is never overridden here.
(function () {
  var script = document.currentScript;
  if (!script || script.dataset.zoneFromProfile) return;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var current = (document.cookie.match(/(?:^|; )tz=([^;]*)/) || [])[1];
  if (current && decodeURIComponent(current) === zone) return;
  document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
  // Re-render once with the right zone unless the server already used it.
  if (script.dataset.viewerZone !== zone) window.location.reload();
})();
