// Appended to a copy of a report by the HTML tests: measures what the reader sees, in the page
// Chromium laid out, and writes it as JSON into a pre element (id lockdep4j-measurements) for --dump-dom.
(function () {
  function box(el) { var b = el.getBoundingClientRect(); return { x: b.left, y: b.top, w: b.width, h: b.height }; }
  var out = { labels: [], edges: [], wide: [], page: {} };
  document.querySelectorAll('#lock-graph .node').forEach(function (g) {
    var t = g.querySelector('text'), r = g.querySelector('rect');
    out.labels.push({ lock: g.getAttribute('data-lock'), text: t.textContent, cls: g.getAttribute('class'),
      label: box(t), rect: box(r) });
  });
  document.querySelectorAll('#lock-graph path.edge').forEach(function (p) {
    var s = getComputedStyle(p);
    out.edges.push({ cls: p.getAttribute('class'), stroke: s.stroke, width: parseFloat(s.strokeWidth),
      from: p.getAttribute('data-from'), to: p.getAttribute('data-to'), length: p.getTotalLength() });
  });
  document.querySelectorAll('details.finding, details.finding pre, details.finding summary, #lock-details pre').forEach(function (e) {
    out.wide.push({ tag: e.tagName.toLowerCase(), scrollWidth: e.scrollWidth, clientWidth: e.clientWidth,
      text: e.textContent.slice(0, 80) });
  });
  // the two arrows of a 2-cycle A->B->A: their closest approach away from the boxes' borders
  var cyc = [].slice.call(document.querySelectorAll('#lock-graph path.edge.cycle'));
  out.cycleGaps = [];
  cyc.forEach(function (p) {
    cyc.forEach(function (q) {
      if (p.getAttribute('data-from') !== q.getAttribute('data-to') || p.getAttribute('data-to') !== q.getAttribute('data-from')
          || p.getAttribute('data-from') > q.getAttribute('data-from')) return;
      var best = Infinity, lp = p.getTotalLength(), lq = q.getTotalLength();
      for (var i = 0; i <= lp; i += 2) {
        var a = p.getPointAtLength(i);
        for (var j = 0; j <= lq; j += 2) {
          var b = q.getPointAtLength(j);
          best = Math.min(best, Math.hypot(a.x - b.x, a.y - b.y));
        }
      }
      out.cycleGaps.push({ from: p.getAttribute('data-from'), to: p.getAttribute('data-to'), gap: best });
    });
  });
  out.page = { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth };
  var pre = document.createElement('pre');
  pre.id = 'lockdep4j-measurements';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
