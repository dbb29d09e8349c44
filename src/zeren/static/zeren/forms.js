// Give plain Django form widgets Bootstrap's classes (a file, not inline, for the CSP).
const small = (e) => e.closest("form.form-sm, .form-sm") !== null;
document.querySelectorAll("form input:not([type=file]):not([type=hidden]):not([type=checkbox]):not([type=radio]), form textarea")
  .forEach((e) => { if (!e.classList.contains("form-control")) e.classList.add("form-control", ...(small(e) ? ["form-control-sm"] : [])); });
document.querySelectorAll("form select")
  .forEach((e) => { if (!e.classList.contains("form-select")) e.classList.add("form-select", ...(small(e) ? ["form-select-sm"] : [])); });
document.querySelectorAll("form input[type=checkbox], form input[type=radio]")
  .forEach((e) => e.classList.add("form-check-input"));
// Irreversible actions ask first: data-confirm="…" on a form (asked on submit), on a chosen
// <option> of the submitted form (asked on submit), or on a button or link (asked on click).
document.addEventListener("submit", (ev) => {
  const chosen = ev.target.querySelector && ev.target.querySelector("option[data-confirm]:checked");
  const message = (ev.target.dataset && ev.target.dataset.confirm) || (chosen && chosen.dataset.confirm);
  if (message && !window.confirm(message)) { ev.preventDefault(); ev.stopImmediatePropagation(); }
}, true);
document.querySelectorAll("button[data-confirm], a[data-confirm], input[data-confirm]")
  .forEach((e) => e.addEventListener("click", (event) => { if (!window.confirm(e.dataset.confirm)) event.preventDefault(); }));
// Breadcrumbs: a staff page that names no last step gets its own heading as the last one.
document.querySelectorAll("ol[data-crumbs]").forEach((ol) => {
  const h1 = document.querySelector("main h1");
  if (!h1 || ol.querySelector("[aria-current]")) return;
  const last = ol.querySelector("li:last-child");
  const title = h1.textContent.trim();
  if (last && last.textContent.trim() === title) {
    last.classList.add("active"); last.setAttribute("aria-current", "page"); return;
  }
  const li = document.createElement("li");
  li.className = "breadcrumb-item active"; li.setAttribute("aria-current", "page"); li.textContent = title;
  ol.appendChild(li);
});
