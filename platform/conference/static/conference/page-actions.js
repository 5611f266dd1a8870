// Small page behaviours declared in the markup, instead of inline handlers (which the
// Content-Security-Policy forbids): data-select-on-click selects a read-only field's text
// (a calendar link, a new device token) for copying; data-print prints the page.
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const field = target.closest("[data-select-on-click]");
  if (field && typeof field.select === "function") field.select();
  if (target.closest("[data-print]")) window.print();
});
