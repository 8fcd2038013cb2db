// The operator dashboard: refresh every 2 s; pause/resume, retry and purge (confirmed) by POST.
(function () {
  "use strict";
  var meta = document.querySelector("meta[name=csrf-token]");
  var csrf = meta ? meta.content : "";
  function say(text) { document.getElementById("msg").textContent = text; }
  function val(id) { var el = document.getElementById(id); return el ? el.value.trim() : ""; }
  function post(path, body) {
    if (val("by")) body.by = val("by");
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (doc) {
        say(r.ok ? path.replace("/api/", "") + ": done" : ((doc.error && doc.error.message) || ("HTTP " + r.status)));
        refresh();
      });
    }, function (e) { say(String(e)); });
  }
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.tagName !== "BUTTON") return;
    if (t.classList.contains("pause")) post("/api/pause", { stage: t.dataset.stage, reason: val("reason") || null });
    else if (t.classList.contains("resume")) post("/api/resume", { stage: t.dataset.stage });
    else if (t.classList.contains("retry")) post("/api/dead/retry", { positions: [Number(t.dataset.pos)] });
    else if (t.id === "logout")
      fetch("/logout", { method: "POST", headers: { "X-CSRF-Token": csrf } })
        .then(function () { location.href = "/login"; }, function (e) { say(String(e)); });
    else if (t.id === "purge" && window.confirm("Delete every dead letter? Each deletion is on record in the audit stream."))
      post("/api/dead/purge", { all: true, confirm: true });
  });
  function refresh() {
    fetch("/ops/board").then(function (r) {
      if (r.ok) return r.text().then(function (html) { document.getElementById("board").innerHTML = html; });
    }, function () {});
  }
  setInterval(refresh, 2000);
})();
