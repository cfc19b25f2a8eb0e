// certledger dashboard: live updates, no build step, no library.
// Pages marked data-live re-fetch their main part (X-Dashboard-Fragment) when the ledger
// appends an event; the audit page's tail lists the events. The events come from the
// server's relay of the ledger's SSE stream (/ui/events): nothing polls.
"use strict";
(function () {
  var main = document.getElementById("main");
  var tail = document.getElementById("tail");
  var live = document.body.hasAttribute("data-live");
  var status = document.getElementById("live-status");
  if (!live && !tail) return;
  if (!window.EventSource) return;

  var pending = null, inflight = false, again = false;
  function refresh() {
    if (inflight) { again = true; return; }
    inflight = true;
    fetch(location.href, { headers: { "X-Dashboard-Fragment": "1" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        // Never swap a field being typed in (a filter, a reason) away: refresh when it loses focus.
        if (typing()) { stale = true; return; }
        main.innerHTML = html;
        document.body.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () {})
      .then(function () { inflight = false; if (again) { again = false; schedule(); } });
  }
  var stale = false;
  function typing() {
    var el = document.activeElement;
    return main.contains(el) && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA");
  }
  main.addEventListener("focusout", function () {
    setTimeout(function () { if (stale && !typing()) { stale = false; schedule(); } }, 0);
  });
  function schedule() {
    if (pending) return;
    pending = setTimeout(function () { pending = null; refresh(); }, 150);
  }
  function addRow(ev) {
    var tr = document.createElement("tr");
    [String(ev.position), ev.type, ev.subject, ev.actor, ev.time].forEach(function (v) {
      var td = document.createElement("td");
      td.textContent = v;
      tr.appendChild(td);
    });
    tail.insertBefore(tr, tail.firstChild);
    while (tail.rows.length > 50) tail.deleteRow(tail.rows.length - 1);
  }

  // From the position the page was made at: what happened since refreshes it at once.
  var es = new EventSource("/ui/events?after=" + encodeURIComponent(document.body.getAttribute("data-after") || "0"));
  es.onopen = function () { if (status) status.textContent = "Live"; };
  es.onmessage = function (m) {
    var ev;
    try { ev = JSON.parse(m.data); } catch (e) { return; }
    if (tail) addRow(ev);
    if (live) schedule();
  };
  es.addEventListener("closed", function () {
    es.close();
    if (status) status.textContent = "Live updates are not open to your role; reload to see changes.";
  });
})();
