// Drover web UI: the few things the server cannot do. Times in the viewer's zone (UTC on hover), confirmations
// that say what an action will do, the log's filter and follow mode, and arrow-key moves in the grid.
(function () {
  "use strict";
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (t) {
      if (t.dataset.local) { return; }
      var d = new Date(t.getAttribute("datetime"));
      if (isNaN(d)) { return; }
      t.textContent = d.toLocaleString(undefined, {dateStyle: "medium", timeStyle: "medium"});
      t.title = d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") + " (UTC)";
      t.dataset.local = "1";
    });
  }
  function followLog() {
    var follow = document.getElementById("follow");
    var log = document.getElementById("log-lines");
    if (follow && log && follow.checked) { log.scrollTop = log.scrollHeight; }
  }
  function filterLog(input) {
    var target = document.querySelector(input.dataset.logFilter);
    if (!target) { return; }
    var q = input.value.toLowerCase();
    target.querySelectorAll(".line").forEach(function (l) {
      l.hidden = q !== "" && l.textContent.toLowerCase().indexOf(q) < 0;
    });
  }
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  document.addEventListener("input", function (e) {
    if (e.target.dataset && e.target.dataset.logFilter) { filterLog(e.target); }
  });
  document.addEventListener("keydown", function (e) {
    var cell = e.target.closest && e.target.closest("table.grid td, table.grid th");
    if (!cell || ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].indexOf(e.key) < 0) { return; }
    var row = cell.parentElement, i = Array.prototype.indexOf.call(row.children, cell), next = null;
    if (e.key === "ArrowLeft") { next = row.children[i - 1]; }
    if (e.key === "ArrowRight") { next = row.children[i + 1]; }
    if (e.key === "ArrowUp" && row.previousElementSibling) { next = row.previousElementSibling.children[i]; }
    if (e.key === "ArrowDown" && row.nextElementSibling) { next = row.nextElementSibling.children[i]; }
    var link = next && next.querySelector("a");
    if (link) { link.focus(); e.preventDefault(); }
  });
  // a reconnecting event stream may send lines the log has already: each line's id is its sequence number
  function dropRepeatedLines(log) {
    var seen = {};
    log.querySelectorAll(".line[id]").forEach(function (l) {
      if (seen[l.id]) { l.remove(); } else { seen[l.id] = true; }
    });
  }
  document.addEventListener("htmx:afterSwap", function (e) {
    localTimes(e.target);
    if (e.target.id === "log-lines") { dropRepeatedLines(e.target); }
    var filter = document.getElementById("log-search");
    if (filter && filter.value) { filterLog(filter); }
    followLog();
  });
  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    if (location.hash && location.hash.indexOf("#L") === 0) {
      var line = document.getElementById(location.hash.substring(1));
      var follow = document.getElementById("follow");
      if (follow) { follow.checked = false; }
      if (line) { line.classList.add("target"); line.scrollIntoView({block: "center"}); }
    } else {
      followLog();
    }
  });
})();
