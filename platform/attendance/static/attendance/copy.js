// "Copy" buttons: copy the text of the field named by data-copy (the calendar link) in one click,
// and say so in a live region. Without the Clipboard API the field's text is selected instead.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copyStatus);
    button.hidden = false;
    button.addEventListener("click", function () {
      function done(message) { if (status) status.textContent = message; }
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { done(button.dataset.copied); },
          function () { done(button.dataset.selected); });
      } else {
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        done(copied ? button.dataset.copied : button.dataset.selected);
      }
    });
  });
})();
