// The questionnaire saves itself through htmx on every change. When the connection drops the
// answers stay in the page: the status line says so, the save is retried as soon as the phone is
// back online, and leaving the page with unsaved answers asks first.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  var status = document.getElementById("save-status");
  if (!form || !status) { return; }
  var edits = 0, sent = 0, saved = 0;
  var offlineText = document.documentElement.lang === "en"
    ? "Not saved yet: no connection. Your answers stay here and are saved when you are back online."
    : "Belum tersimpan: tidak ada sambungan. Jawaban tetap di halaman ini dan disimpan saat tersambung lagi.";
  function unsaved() { return edits > saved; }
  function mine(e) { return e.detail && e.detail.elt === form; }
  form.addEventListener("input", function () { edits += 1; });
  form.addEventListener("change", function () { edits += 1; });
  // Pressing a button posts the whole form, which saves everything: the save that the button's
  // press would start (the field it takes the focus from changes) is not sent alongside it.
  var posting = false;
  form.querySelectorAll("button[type=submit]").forEach(function (b) {
    ["pointerdown", "mousedown", "touchstart", "keydown"].forEach(function (name) {
      b.addEventListener(name, function () {
        posting = true;
        window.setTimeout(function () { posting = false; }, 3000);
      });
    });
  });
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    if (!mine(e)) { return; }
    if (posting) { e.preventDefault(); return; }
    sent = edits;
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    if (mine(e) && e.detail.successful) {
      saved = Math.max(saved, sent);
      status.classList.remove("offline");
    }
  });
  ["htmx:sendError", "htmx:responseError"].forEach(function (name) {
    document.body.addEventListener(name, function (e) {
      if (!mine(e)) { return; }
      status.textContent = offlineText;
      status.classList.add("offline");
    });
  });
  window.addEventListener("online", function () {
    if (unsaved() && window.htmx) { window.htmx.trigger(form, "change"); }
  });
  form.addEventListener("submit", function () { posting = true; saved = edits; });
  window.addEventListener("beforeunload", function (e) {
    if (unsaved()) { e.preventDefault(); e.returnValue = ""; }
  });
})();
