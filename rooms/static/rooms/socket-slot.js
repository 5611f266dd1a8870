// Loaded (not deferred) in the head of the live-room pages, before the deferred scripts:
// it tells them that this tab's one websocket belongs to the live-room client. Other
// features (the in-app notifications badge) then listen to window.conferenceSocket's
// "message" events, which the client fires for every push not about a room it shows,
// instead of opening a second socket.
window.conferenceSocket = window.conferenceSocket || new EventTarget();
