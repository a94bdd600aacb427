"use strict";
// kubesim timeline: draws the model in #timeline-data (times in ms since
// the cluster's start) as two SVGs, the names on the left and the bars on
// the right, with hover details, blocks that collapse, grouping by owner or
// node, and zoom. No network, no libraries.
(function () {
  var errors = [];
  function fail(msg) {
    errors.push(msg);
    var box = document.getElementById("errors");
    box.hidden = false;
    box.textContent = "script error: " + errors.join("\n");
    document.body.setAttribute("data-errors", String(errors.length));
  }
  window.addEventListener("error", function (e) { fail(String(e.message)); });

  var NS = "http://www.w3.org/2000/svg";
  var HEAD = 22, ROW = 18, BAR = 12, THIN = 4, THINBAR = 3, AXIS = 52, LABELW = 260, PAD = 12;
  var D = JSON.parse(document.getElementById("timeline-data").textContent);
  var colors = {};
  D.states.forEach(function (s) { colors[s.name] = s.color; });
  var view = { zoom: 1, by: "owner", collapsed: {} };
  var tips = [];

  function el(name, attrs, parent, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function fmt(ms) {
    if (ms === 0) { return "0s"; }
    if (ms < 60000) { return String(+(ms / 1000).toFixed(3)) + "s"; }
    var s = Math.round(ms / 1000), out = "";
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    if (h) { out += h + "h"; }
    if (m) { out += m + "m"; }
    if (sec) { out += sec + "s"; }
    return out;
  }

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function tip(html) { tips.push(html); return String(tips.length - 1); }

  var STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  function ticks(end, width) {
    var step = STEPS[STEPS.length - 1] * 1000;
    for (var i = 0; i < STEPS.length; i++) {
      if (STEPS[i] * 1000 / end * width >= 70) { step = STEPS[i] * 1000; break; }
    }
    var out = [];
    for (var t = 0; t <= end; t += step) { out.push(t); }
    return out;
  }

  // markerLabel numbers the marker of commands first..last-1: "4" or "1–3".
  function markerLabel(first, last) { return last - first > 1 ? (first + 1) + "–" + last : String(first + 1); }
  function markerWidth(first, last) { return Math.max(14, markerLabel(first, last).length * 5.5 + 6); }

  function isCollapsed(b) {
    return view.collapsed[b.id] === undefined ? b.dense : view.collapsed[b.id];
  }

  // blocks lists what to draw: the owners' blocks, or the pods regrouped
  // by node, then the claims, volumes and nodes.
  function blocks() {
    var out = [];
    if (view.by === "owner") {
      D.groups.forEach(function (g, i) {
        out.push({ id: "owner:" + i, label: g.label, pods: g.pods, dense: g.dense, marks: g.marks, rows: g.rows });
      });
      return out;
    }
    var byNode = {}, order = [];
    D.groups.forEach(function (g) {
      if (!g.pods) { return; }
      g.rows.forEach(function (r) {
        r.bars.forEach(function (b) {
          var n = b.node || "(not scheduled)";
          if (!byNode[n]) { byNode[n] = { rows: {}, list: [] }; order.push(n); }
          var blk = byNode[n];
          if (!blk.rows[r.label]) {
            blk.rows[r.label] = { label: r.label, note: g.label, marks: r.marks, bars: [] };
            blk.list.push(blk.rows[r.label]);
          }
          blk.rows[r.label].bars.push(b);
        });
      });
    });
    order.sort();
    order.forEach(function (n) {
      var list = byNode[n].list;
      out.push({ id: "node:" + n, label: "Node " + n, pods: true, dense: list.length > 24, marks: [], rows: list });
    });
    D.groups.forEach(function (g, i) {
      if (!g.pods) { out.push({ id: "owner:" + i, label: g.label, pods: false, dense: g.dense, marks: g.marks, rows: g.rows }); }
    });
    return out;
  }

  function markTip(m) {
    var t = "<b>" + esc(fmt(m.at)) + " " + esc(m.type) + " " + esc(m.reason) + "</b>";
    if (m.about) { t += "\n" + esc(m.about); }
    if (m.msg) { t += "\n" + esc(m.msg); }
    return t;
  }

  function barTip(b, s, block) {
    var t = "<b>" + esc(b.name) + "</b>: " + esc(s.word) + " from " + fmt(s.from) + " to " + fmt(s.to);
    t += "\n" + esc(block.label);
    if (b.node) { t += "\nnode " + esc(b.node); }
    if (b.restarts) { t += "\nrestarts " + b.restarts; }
    t += "\nlife " + fmt(b.from) + " – " + fmt(b.to);
    b.events.slice(0, 12).forEach(function (m) {
      t += "\n" + esc(fmt(m.at)) + " " + esc(m.reason) + (m.msg ? ": " + esc(m.msg) : "");
    });
    if (b.events.length > 12) { t += "\n… " + (b.events.length - 12) + " more events"; }
    return t;
  }

  function drawMarks(svg, marks, x, cy, named, svgWidth) {
    var taken = [];
    marks.forEach(function (m) {
      var g = el("g", { "class": "mark", "data-tip": tip(markTip(m)), "data-reason": m.reason }, svg);
      var mx = x(m.at);
      if (m.type === "Warning") {
        el("path", { d: "M" + mx + " " + (cy - 4) + " l4 7 h-8 z", fill: "#c0392b", stroke: "#fff", "stroke-width": 0.5 }, g);
      } else {
        el("path", { d: "M" + mx + " " + (cy - 4) + " l3.5 3.5 l-3.5 3.5 l-3.5 -3.5 z", fill: "#333", stroke: "#fff", "stroke-width": 0.5 }, g);
      }
    });
    if (!named) { return; }
    function markers(warning) { // names do not cover markers
      marks.forEach(function (m) { if ((m.type === "Warning") === warning) { taken.push([x(m.at) - 4, x(m.at) + 4]); } });
    }
    markers(true);
    [true, false].forEach(function (warning) {
      if (!warning) { markers(false); } // a warning's name may cover a normal event's marker
      marks.forEach(function (m) {
        if ((m.type === "Warning") !== warning) { return; }
        var w = m.reason.length * 5.2 + 6, x0 = x(m.at) + 4.5, x1 = x0 + w, anchor = "start", tx = x0 + 1.5;
        if (x1 > svgWidth) { x0 = x(m.at) - 4.5 - w; x1 = x(m.at) - 4.5; anchor = "end"; tx = x1 - 1.5; }
        for (var i = 0; i < taken.length; i++) {
          if (x0 < taken[i][1] && taken[i][0] < x1) { return; }
        }
        taken.push([x0, x1]);
        el("text", { "class": warning ? "reason warning" : "reason", x: tx, y: cy + 3, "text-anchor": anchor }, svg, m.reason);
      });
    });
  }

  function render() {
    tips = [];
    var plotDiv = document.getElementById("plot"), labelsDiv = document.getElementById("labels");
    var keep = plotDiv.scrollWidth > 0 ? (plotDiv.scrollLeft + plotDiv.clientWidth / 2) / plotDiv.scrollWidth : 0;
    var avail = Math.max(400, plotDiv.clientWidth - 2 * PAD);
    var width = Math.round(avail * view.zoom);
    var x = function (t) { return PAD + t / D.end * width; };
    var bl = blocks();
    var height = AXIS + 8;
    bl.forEach(function (b) { height += HEAD + b.rows.length * (isCollapsed(b) ? THIN : ROW) + 4; });

    var left = el("svg", { width: LABELW, height: height });
    var right = el("svg", { width: width + 2 * PAD, height: height, id: "plot-svg" });
    // Bands first, under the grid.
    var y = AXIS + 8;
    bl.forEach(function (b) {
      var h = HEAD + b.rows.length * (isCollapsed(b) ? THIN : ROW);
      el("rect", { x: 0, y: y, width: LABELW, height: h, fill: "#f4f5f8" }, left);
      el("rect", { x: 0, y: y, width: width + 2 * PAD, height: h, fill: "#f4f5f8" }, right);
      y += h + 4;
    });
    // The axis, its grid, and the commands.
    el("line", { x1: PAD, y1: 30, x2: PAD + width, y2: 30, stroke: "#444" }, right);
    ticks(D.end, width).forEach(function (t) {
      el("line", { "class": "grid", x1: x(t), y1: 30, x2: x(t), y2: height, stroke: "#e3e3e3" }, right);
      el("text", { "class": "tick", x: x(t), y: 24, "text-anchor": "middle", fill: "#444" }, right, fmt(t));
    });
    el("text", { x: 8, y: 44, fill: "#555" }, left, "commands (hover for the lines)");
    // One marker per instant, or for instants too close to tell apart.
    for (var first = 0; first < D.commands.length;) {
      var last = first;
      while (last + 1 < D.commands.length &&
        x(D.commands[last + 1].at) - markerWidth(first, last + 2) / 2 < x(D.commands[first].at) + markerWidth(first, last + 1) / 2 + 2) {
        last++; // the next marker would overlap this one
      }
      var lines = [];
      for (var i = first; i <= last; i++) {
        lines.push("<b>" + (i + 1) + "  " + fmt(D.commands[i].at) + "</b>\n" + D.commands[i].lines.map(esc).join("\n"));
      }
      var label = markerLabel(first, last + 1), w = markerWidth(first, last + 1), cx = x(D.commands[first].at);
      var g = el("g", { "class": "cmd", "data-tip": tip(lines.join("\n")) }, right);
      for (i = first; i <= last; i++) {
        el("line", { x1: x(D.commands[i].at), y1: 47, x2: x(D.commands[i].at), y2: height, stroke: "#7aa6d6", "stroke-dasharray": "2,3" }, g);
      }
      el("rect", { x: cx - w / 2, y: 33, width: w, height: 14, rx: 7, fill: "#1f5fa8" }, g);
      el("text", { x: cx, y: 43, "text-anchor": "middle", fill: "#fff", "font-size": 9, "font-weight": "bold" }, g, label);
      first = last + 1;
    }
    // The blocks.
    y = AXIS + 8;
    bl.forEach(function (b) {
      var collapsed = isCollapsed(b);
      var pods = 0;
      b.rows.forEach(function (r) { pods += r.bars.length; });
      var head = el("text", { "class": "heading", x: 6, y: y + 15, "data-block": b.id }, left,
        (collapsed ? "▸ " : "▾ ") + b.label + " (" + pods + ")");
      head.addEventListener("click", function () { view.collapsed[b.id] = !collapsed; render(); });
      drawMarks(right, b.marks, x, y + HEAD / 2, true, width + 2 * PAD);
      y += HEAD;
      var pitch = collapsed ? THIN : ROW, bh = collapsed ? THINBAR : BAR;
      b.rows.forEach(function (r) {
        if (!collapsed) {
          var label = el("text", { "class": "label", x: 20, y: y + 13 }, left, r.label);
          if (r.note) { el("tspan", { "class": "note" }, label, " " + r.note); }
        }
        r.bars.forEach(function (bar) {
          var g = el("g", { "class": b.pods ? "bar pod" : "bar", "data-name": bar.name }, right);
          bar.segs.forEach(function (s) {
            el("rect", {
              "class": "seg", "data-state": s.state, "data-tip": tip(barTip(bar, s, b)),
              x: x(s.from), y: y + (pitch - bh) / 2, width: Math.max(1, x(s.to) - x(s.from)), height: bh,
              fill: colors[s.state] || "#000"
            }, g);
          });
        });
        if (!collapsed) { drawMarks(right, r.marks, x, y + pitch / 2, false); }
        y += pitch;
      });
      y += 4;
    });
    labelsDiv.replaceChildren(left);
    plotDiv.replaceChildren(right);
    plotDiv.scrollLeft = Math.max(0, keep * plotDiv.scrollWidth - plotDiv.clientWidth / 2);
    document.body.setAttribute("data-bars", String(right.querySelectorAll("g.bar.pod").length));
    document.body.setAttribute("data-zoom", String(view.zoom));
    document.body.setAttribute("data-rendered", "ok");
  }

  function legend() {
    var used = {};
    D.groups.forEach(function (g) { g.rows.forEach(function (r) { r.bars.forEach(function (b) { b.segs.forEach(function (s) { used[s.state] = true; }); }); }); });
    var box = document.getElementById("legend");
    D.states.forEach(function (s) {
      if (!used[s.name]) { return; }
      var item = document.createElement("span");
      var sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = s.color;
      item.appendChild(sw);
      item.appendChild(document.createTextNode(s.legend));
      box.appendChild(item);
    });
    var marks = document.createElement("span");
    marks.textContent = "▲ Warning event   ◆ Normal event   ● the scenario's commands (sleeps left out)";
    box.appendChild(marks);
    var list = document.createElement("ol");
    D.commands.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = fmt(c.at) + "  " + c.lines.join(" ; ");
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function zoom(f) {
    view.zoom = Math.min(256, Math.max(1, view.zoom * f));
    render();
  }

  function showTip(e) {
    var t = e.target.closest ? e.target.closest("[data-tip]") : null;
    var box = document.getElementById("tip");
    if (!t) { box.hidden = true; return; }
    box.innerHTML = tips[+t.getAttribute("data-tip")];
    box.hidden = false;
    var w = box.offsetWidth, h = box.offsetHeight;
    box.style.left = Math.min(e.clientX + 14, window.innerWidth - w - 4) + "px";
    box.style.top = Math.min(e.clientY + 14, window.innerHeight - h - 4) + "px";
  }

  try {
    document.getElementById("title").textContent = D.title + " · seed " + D.seed + " · " + fmt(D.end) + " of virtual time";
    document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.5); });
    document.getElementById("zoom-out").addEventListener("click", function () { zoom(1 / 1.5); });
    document.getElementById("zoom-fit").addEventListener("click", function () { view.zoom = 1; render(); });
    document.getElementById("group-by").addEventListener("change", function (e) { view.by = e.target.value; render(); });
    document.getElementById("expand-all").addEventListener("click", function () {
      blocks().forEach(function (b) { view.collapsed[b.id] = false; });
      render();
    });
    document.getElementById("collapse-all").addEventListener("click", function () {
      blocks().forEach(function (b) { view.collapsed[b.id] = true; });
      render();
    });
    document.getElementById("plot").addEventListener("wheel", function (e) {
      if (!e.ctrlKey) { return; }
      e.preventDefault();
      zoom(e.deltaY < 0 ? 1.25 : 0.8);
    }, { passive: false });
    document.getElementById("chart").addEventListener("mousemove", showTip);
    document.getElementById("chart").addEventListener("mouseleave", function () { document.getElementById("tip").hidden = true; });
    window.addEventListener("resize", render);
    legend();
    render();
  } catch (err) {
    fail(String(err && err.stack || err));
  }
})();
