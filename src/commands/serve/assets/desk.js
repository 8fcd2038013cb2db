// The review desk's keys and refresh. Everything it inserts is text or HTML the server escaped.
(function () {
  "use strict";
  var meta = document.querySelector("meta[name=csrf-token]");
  var csrf = meta ? meta.content : "";
  var d = document.body.dataset;
  var sha = d.sha || "", pos = Number(d.pos || 0);
  var skip = d.skip ? d.skip.split(",") : [];
  var by = d.by || "";
  function query(extra) {
    var q = new URLSearchParams();
    if (d.stage) q.set("stage", d.stage);
    if (by) q.set("by", by);
    if (skip.length) q.set("skip", skip.join(","));
    for (var k in extra || {}) q.set(k, extra[k]);
    return q.toString();
  }
  function go() { location.search = query(); }
  function say(text) { document.getElementById("msg").textContent = text; }
  function act(action, extra) {
    if (!sha) return;
    if (d.readOnly === "true") {
      // Looking only: j/s pass over the item here, nothing is posted.
      if (action === "skip") { skip.push(sha); go(); }
      return;
    }
    var body = { stage: d.stage, action: action, pos: pos, sha256: sha, by: by };
    for (var k in extra || {}) body[k] = extra[k];
    fetch("/api/desk/decide", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (doc) {
        if (!r.ok && r.status !== 404) {
          say((doc.error && doc.error.message) || ("HTTP " + r.status));
          return;
        }
        if (action === "skip") skip.push(sha);
        go();
      });
    }, function (e) { say(String(e)); });
  }
  function on(id, ev, f) { var el = document.getElementById(id); if (el) el.addEventListener(ev, f); }
  on("approve", "click", function () { act("approve"); });
  on("skip", "click", function () { act("skip"); });
  on("reject-form", "submit", function (e) {
    e.preventDefault(); act("reject", { reason: document.getElementById("reason").value });
  });
  on("back-form", "submit", function (e) {
    e.preventDefault(); act("send-back", { note: document.getElementById("note").value });
  });
  on("by", "change", function (e) { by = e.target.value.trim(); skip = []; go(); });
  on("logout", "click", function () {
    fetch("/logout", { method: "POST", headers: { "X-CSRF-Token": csrf } })
      .then(function () { location.href = "/login"; }, function (e) { say(String(e)); });
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) return;
    var focus = function (id) { var el = document.getElementById(id); if (el) { e.preventDefault(); el.focus(); } };
    switch (e.key) {
      case "a": act("approve"); break;
      case "j": case "s": act("skip"); break;
      case "k": if (skip.length) { skip.pop(); go(); } break;
      case "r": focus("reason"); break;
      case "b": focus("note"); break;
    }
  });
  setInterval(function () {
    fetch("/desk/list?" + query({ current: sha })).then(function (r) {
      if (!r.ok) return;
      if (sha && r.headers.get("x-current-gone") === "1") { say("decided elsewhere"); go(); return; }
      return r.text().then(function (html) { document.getElementById("list").innerHTML = html; });
    }, function () {});
  }, 2000);
})();
