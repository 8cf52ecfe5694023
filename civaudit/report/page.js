(function () {
  "use strict";
  function esc(v) {
    if (v === null || v === undefined) return "";
    return String(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/\n/g, "<br>");
  }
  function cmp(a, b) {
    var x = a === null || a === undefined ? "" : a, y = b === null || b === undefined ? "" : b;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x).localeCompare(String(y), "zh-Hans-CN", { numeric: true });
  }
  document.querySelectorAll("div.table[data-source]").forEach(function (box) {
    var spec = JSON.parse(document.getElementById(box.dataset.source).textContent);
    var cols = spec.columns, rows = spec.rows, page = spec.page || 500, labels = spec.labels;
    var state = { sort: spec.sort === undefined ? -1 : spec.sort, dir: 1, start: 0,
                  text: "", filters: {} };
    var controls = document.createElement("div"); controls.className = "controls";
    var search = document.createElement("input"); search.type = "search";
    search.placeholder = labels.search; search.className = "search";
    controls.appendChild(search);
    (spec.filters || []).forEach(function (ci) {
      var sel = document.createElement("select"); sel.dataset.col = ci;
      sel.className = "filter filter-" + cols[ci].key;
      var seen = {}, values = [];
      rows.forEach(function (r) { var v = r[ci]; if (v !== null && !seen[v]) { seen[v] = 1; values.push(v); } });
      if (cols[ci].order) { values.sort(function (a, b) { return cols[ci].order.indexOf(a) - cols[ci].order.indexOf(b); }); }
      else { values.sort(cmp); }
      var all = document.createElement("option"); all.value = ""; all.textContent = cols[ci].label + ": " + labels.all;
      sel.appendChild(all);
      values.forEach(function (v) { var o = document.createElement("option"); o.value = v; o.textContent = v; sel.appendChild(o); });
      sel.addEventListener("change", function () { state.filters[ci] = sel.value; state.start = 0; draw(); });
      controls.appendChild(sel);
    });
    var status = document.createElement("span"); status.className = "status"; controls.appendChild(status);
    box.appendChild(controls);
    var table = document.createElement("table"); table.className = "data";
    var head = document.createElement("tr");
    cols.forEach(function (c, i) {
      var th = document.createElement("th"); th.textContent = c.label; th.title = labels.sort;
      th.addEventListener("click", function () {
        if (state.sort === i) { state.dir = -state.dir; } else { state.sort = i; state.dir = 1; }
        state.start = 0; draw();
      });
      head.appendChild(th);
    });
    var thead = document.createElement("thead"); thead.appendChild(head); table.appendChild(thead);
    var tbody = document.createElement("tbody"); table.appendChild(tbody); box.appendChild(table);
    var pager = document.createElement("div"); pager.className = "controls pager";
    var prev = document.createElement("button"); prev.textContent = "\u25C0";
    var next = document.createElement("button"); next.textContent = "\u25B6";
    pager.appendChild(prev); pager.appendChild(next); box.appendChild(pager);
    prev.addEventListener("click", function () { state.start = Math.max(0, state.start - page); draw(); });
    next.addEventListener("click", function () { state.start += page; draw(); });
    search.addEventListener("input", function () { state.text = search.value.trim().toLowerCase(); state.start = 0; draw(); });
    var haystack = rows.map(function (r) { return r.join("\u0001").toLowerCase(); });
    function draw() {
      var keep = [];
      for (var k = 0; k < rows.length; k++) {
        var r = rows[k], ok = true;
        for (var ci in state.filters) { if (state.filters[ci] && String(r[ci]) !== state.filters[ci]) { ok = false; break; } }
        if (ok && state.text && haystack[k].indexOf(state.text) < 0) ok = false;
        if (ok) keep.push(k);
      }
      if (state.sort >= 0) {
        var s = state.sort, d = state.dir, rank = cols[s].order;
        keep.sort(function (a, b) {
          var x = rows[a][s], y = rows[b][s];
          if (rank) { x = rank.indexOf(x); y = rank.indexOf(y); }
          return d * cmp(x, y) || a - b;
        });
      }
      if (state.start >= keep.length) state.start = Math.max(0, keep.length - page);
      var html = [], end = Math.min(keep.length, state.start + page);
      for (var j = state.start; j < end; j++) {
        var row = rows[keep[j]], cells = [];
        for (var c = 0; c < cols.length; c++) {
          var cls = cols[c].cls || "";
          if (cols[c].key === "severity" && spec.severity) cls += " sev-" + spec.severity[keep[j]];
          cells.push('<td class="' + cls + '">' + esc(row[c]) + "</td>");
        }
        html.push("<tr>" + cells.join("") + "</tr>");
      }
      tbody.innerHTML = html.join("");
      head.querySelectorAll("th").forEach(function (th, i) {
        th.className = i === state.sort ? (state.dir > 0 ? "sorted-asc" : "sorted-desc") : "";
      });
      status.textContent = labels.shown.replace("{shown}", keep.length).replace("{total}", rows.length)
        + (keep.length > page ? " (" + (state.start + 1) + "\u2013" + end + ")" : "");
      box.dataset.shown = keep.length;
      pager.style.display = keep.length > page ? "" : "none";
    }
    draw();
  });
})();
