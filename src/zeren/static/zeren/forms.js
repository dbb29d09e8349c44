// Give plain Django form widgets Bootstrap's classes (a file, not inline, for the CSP).
const small = (e) => e.closest("form.form-sm, .form-sm") !== null;
document.querySelectorAll("form input:not([type=file]):not([type=hidden]):not([type=checkbox]):not([type=radio]), form textarea")
  .forEach((e) => { if (!e.classList.contains("form-control")) e.classList.add("form-control", ...(small(e) ? ["form-control-sm"] : [])); });
document.querySelectorAll("form select")
  .forEach((e) => { if (!e.classList.contains("form-select")) e.classList.add("form-select", ...(small(e) ? ["form-select-sm"] : [])); });
document.querySelectorAll("form input[type=checkbox], form input[type=radio]")
  .forEach((e) => e.classList.add("form-check-input"));
// Irreversible actions ask first: data-confirm="…" on a form (asked on submit) or on a
// button or link (asked on click).
document.addEventListener("submit", (ev) => {
  const message = ev.target.dataset && ev.target.dataset.confirm;
  if (message && !window.confirm(message)) { ev.preventDefault(); ev.stopImmediatePropagation(); }
}, true);
document.querySelectorAll("button[data-confirm], a[data-confirm], input[data-confirm]")
  .forEach((e) => e.addEventListener("click", (event) => { if (!window.confirm(e.dataset.confirm)) event.preventDefault(); }));
