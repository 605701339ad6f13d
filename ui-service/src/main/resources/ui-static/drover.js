// Drover web UI: the few things the server cannot do. The live parts (server-sent events: each event replaces the
// element that names it with data-swap, or is appended to the one that names it with data-append), times in the
// viewer's zone (UTC on hover), confirmations that say what an action will do, the log's filter and follow mode, and
// arrow-key moves in the grid.
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
  // The grid's cells: the run is its column's, the task its row's, the attempt data-a (or the first).
  function cellUrl(td) {
    var row = td.parentElement, i = Array.prototype.indexOf.call(row.children, td);
    var head = td.closest("table").querySelector("thead tr").children[i];
    if (!head || !head.dataset.run) { return null; }
    return "/ui/runs/" + encodeURIComponent(head.dataset.run) + "/tasks/" + encodeURIComponent(row.dataset.task)
      + "/attempts/" + (td.dataset.a || "1");
  }
  function cellName(td) {
    var row = td.parentElement, i = Array.prototype.indexOf.call(row.children, td);
    var head = td.closest("table").querySelector("thead tr").children[i];
    var state = (td.className.match(/st-([a-z-]+)/) || ["", "?"])[1].replace(/-/g, " ");
    return row.dataset.task + " in " + head.dataset.run + ": " + state + (td.dataset.a ? ", attempt " + td.dataset.a : "");
  }
  document.addEventListener("click", function (e) {
    var td = e.target.closest && e.target.closest("table.grid td.c");
    var url = td && cellUrl(td);
    if (url) { location.href = url; }
  });
  document.addEventListener("mouseover", function (e) {
    var td = e.target.closest && e.target.closest("table.grid td.c");
    if (td && !td.title) { td.title = cellName(td); }
  });
  document.addEventListener("focusin", function (e) {
    var td = e.target.closest && e.target.closest("table.grid td.c");
    if (td) { td.setAttribute("aria-label", cellName(td)); }
  });
  document.addEventListener("keydown", function (e) {
    var cell = e.target.closest && e.target.closest("table.grid td, table.grid th");
    if (!cell) { return; }
    if (e.key === "Enter" && cell.classList.contains("c")) { location.href = cellUrl(cell); return; }
    if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].indexOf(e.key) < 0) { return; }
    var row = cell.parentElement, i = Array.prototype.indexOf.call(row.children, cell), next = null;
    if (e.key === "ArrowLeft") { next = row.children[i - 1]; }
    if (e.key === "ArrowRight") { next = row.children[i + 1]; }
    if (e.key === "ArrowUp") { next = row.previousElementSibling ? row.previousElementSibling.children[i] : null; }
    if (e.key === "ArrowDown") {
      var below = row.nextElementSibling || (row.parentElement.tagName === "THEAD"
        ? row.closest("table").querySelector("tbody tr") : null);
      next = below ? below.children[i] : null;
    }
    if (!next) { return; }
    var target = next.querySelector("a") || next;
    if (target === next) { next.tabIndex = -1; }
    target.focus();
    e.preventDefault();
  });
  // a reconnecting event stream may send lines the log has already: each line's id is its sequence number
  function dropRepeatedLines(log) {
    var seen = {};
    log.querySelectorAll(".line[id]").forEach(function (l) {
      if (seen[l.id]) { l.remove(); } else { seen[l.id] = true; }
    });
  }
  // The drift chart: uPlot (loaded on the monitor pages), one line per feature, the threshold at 1 dashed.
  var PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];
  var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];
  function charts(root) {
    if (typeof uPlot === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var d = JSON.parse(el.dataset.chart), names = Object.keys(d.series);
      var data = [d.x], series = [{}];
      names.forEach(function (n, i) {
        data.push(d.series[n]);
        // colour and dash both tell the lines apart (not colour alone)
        series.push({label: n, stroke: PALETTE[i % PALETTE.length], dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length], width: 2, spanGaps: true});
      });
      data.push(d.x.map(function () { return 1; }));
      series.push({label: "threshold", stroke: "#8a8f96", dash: [4, 4], width: 1});
      el.innerHTML = "";
      series[0] = {label: "window", value: function (u, v) { return v == null ? "--" : d.windows[v - 1]; }};
      new uPlot({width: Math.min(el.clientWidth || 900, 1200), height: 260, series: series,
        axes: [{label: "windows, oldest → newest", values: function (u, ticks) {
          return ticks.map(function (t) { return Number.isInteger(t) ? d.windows[t - 1] || "" : ""; });
        }}, {label: "statistic / threshold"}], scales: {x: {time: false}}}, data, el);
    });
  }
  function afterSwap(target) {
    localTimes(target);
    charts(target);
    if (target.id === "log-lines") { dropRepeatedLines(target); }
    var filter = document.getElementById("log-search");
    if (filter && filter.value) { filterLog(filter); }
    followLog();
  }
  // Open streams are closed when the page goes away: a browser keeps at most six connections to a server, and a
  // page kept for the back button must not hold one.
  var sources = [];
  function connect(root) {
    var source = new EventSource(root.dataset.live);
    sources.push(source);
    var targets = Array.prototype.slice.call(root.querySelectorAll("[data-swap], [data-append]"));
    if (root.dataset.swap || root.dataset.append) { targets.push(root); }
    targets.forEach(function (t) {
      var append = !!t.dataset.append;
      source.addEventListener(append ? t.dataset.append : t.dataset.swap, function (e) {
        if (append) { t.insertAdjacentHTML("beforeend", e.data); } else { t.innerHTML = e.data; }
        afterSwap(t);
      });
    });
    source.addEventListener("expired", function (e) {
      source.close();
      root.insertAdjacentHTML("afterbegin", e.data);
    });
  }
  window.addEventListener("pagehide", function () {
    sources.forEach(function (s) { s.close(); });
    sources = [];
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) { location.reload(); } // back from the cache: its streams were closed, so start afresh
  });
  window.addEventListener("load", function () { charts(document); });
  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    document.querySelectorAll("[data-live]").forEach(connect);
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
