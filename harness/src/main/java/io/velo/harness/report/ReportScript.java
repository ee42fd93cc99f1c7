package io.velo.harness.report;

/**
 * The report page's inline CSS and JavaScript. The script is hand-written (no chart library, so the
 * page needs no network): it reads the JSON embedded in {@code #report-data} and draws SVG charts
 * into the {@code .plot} boxes. A chart whose data is absent says "not measured" instead of drawing
 * made-up values. When done it sets {@code data-charts} on the root element to the number of charts
 * drawn; script errors land in {@code data-errors} and in the visible {@code #errors} box, so a
 * headless browser test can tell a working page from a broken one.
 */
final class ReportScript {
    private ReportScript() {
    }

    static final String CSS = """
            :root { --fg:#1d2433; --muted:#5b6576; --line:#dde2ea; --bg:#ffffff; --panel:#f6f8fb;
                    --pass:#1e8e4e; --regr:#c62828; --impr:#1565c0; --miss:#b26a00; }
            * { box-sizing: border-box; }
            html { background: var(--bg); color: var(--fg); }
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
                   margin: 0 auto; max-width: 1320px; padding: 18px 24px 60px; }
            h1 { font-size: 22px; margin: 4px 0 2px; }
            h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
            h3 { font-size: 14px; margin: 0 0 6px; }
            .sub { color: var(--muted); margin-bottom: 12px; }
            code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
            .headline { border-radius: 8px; padding: 12px 16px; margin: 10px 0; font-size: 16px; font-weight: 600;
                        border: 1px solid var(--line); background: var(--panel); }
            .headline small { display: block; font-weight: 400; font-size: 13px; color: var(--muted); }
            .headline.PASS { border-color: var(--pass); background: #eaf6ee; }
            .headline.REGRESSION, .headline.FAILED { border-color: var(--regr); background: #fdecec; }
            .headline.IMPROVEMENT { border-color: var(--impr); background: #e8f1fc; }
            .headline.MISSING { border-color: var(--miss); background: #fff4e0; }
            .warn { border-left: 4px solid var(--miss); background: #fff7e6; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
            .bad { border-left: 4px solid var(--regr); background: #fdecec; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
            .errors { border: 2px solid var(--regr); color: var(--regr); padding: 8px 12px; margin: 8px 0; border-radius: 4px; font-weight: 600; }
            table { border-collapse: collapse; margin: 4px 0 8px; }
            th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
            th { background: var(--panel); font-weight: 600; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr.agg td { background: var(--panel); font-style: italic; }
            .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
            .badge.PASS { background: var(--pass); } .badge.REGRESSION { background: var(--regr); }
            .badge.IMPROVEMENT { background: var(--impr); } .badge.MISSING { background: var(--miss); }
            .worse { color: var(--regr); font-weight: 600; } .better { color: var(--impr); font-weight: 600; }
            .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
            figure.chart { margin: 0; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
            figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
            figure.chart .what { color: var(--muted); font-size: 12.5px; margin: 0 0 6px; }
            .plot svg { width: 100%; height: auto; display: block; }
            .plot p.nm { color: var(--muted); font-style: italic; padding: 30px 0; text-align: center; margin: 0;
                         background: var(--panel); border-radius: 6px; }
            .legend { font-size: 12.5px; color: var(--muted); margin-top: 2px; }
            .legend span { margin-right: 14px; white-space: nowrap; }
            .legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 5px; }
            .plot button { float: right; font: inherit; font-size: 12px; padding: 1px 8px; border: 1px solid var(--line);
                           background: var(--panel); border-radius: 4px; cursor: pointer; }
            svg .gridline { stroke: #e9edf2; stroke-width: 1; }
            svg .axis { stroke: #9aa4b2; stroke-width: 1; }
            svg text { font-size: 11px; fill: #5b6576; }
            svg text.lbl { font-size: 12px; fill: #3b4456; }
            svg text.val { font-size: 11px; fill: #1d2433; }
            .scroll { overflow-x: auto; max-width: 100%; }
            table.compact th, table.compact td { padding: 3px 7px; font-size: 13px; }
            td.differs { background: #fff4e0; font-weight: 600; }
            .cols { display: flex; gap: 28px; flex-wrap: wrap; }
            .muted { color: var(--muted); }
            a { color: #1f5fb8; }
            """;

    /** Installed first, in the head, so even an error while parsing the data is caught and shown. */
    static final String ERROR_HOOK = """
            (function () {
              var errs = [];
              function show() {
                var box = document.getElementById('errors');
                if (box && errs.length) { box.hidden = false; box.textContent = 'Chart script error: ' + errs.join(' | '); }
              }
              function report(msg) {
                errs.push(String(msg));
                document.documentElement.dataset.errors = errs.join(' | ');
                show();
              }
              window.__reportError = report;
              window.onerror = function (msg, src, line) { report(msg + (line ? ' (line ' + line + ')' : '')); return false; };
              window.addEventListener('DOMContentLoaded', show);
            })();
            """;

    static final String CHARTS = """
            (function () {
              'use strict';
              var root = document.documentElement;
              var NS = 'http://www.w3.org/2000/svg';
              var data = JSON.parse(document.getElementById('report-data').textContent);
              var R = data.result || {};
              var B = data.baseline || null;
              var S = R.series || {};
              var W = 640, H = 300, ML = 64, MR = 64, MT = 14, MB = 46;
              var C = { cur: '#1f6fd1', base: '#8a94a6', inr: '#2a9d8f', outr: '#1f6fd1', p50: '#2a9d8f', p99: '#e76f51',
                        max: '#8d5fd3', alloc: '#1f6fd1', heap: '#e9a23b', gc: '#d1495b', peer: '#a5adba', velo: '#1f6fd1' };
              var drawn = 0;

              function isNum(v) { return typeof v === 'number' && isFinite(v); }
              function E(tag, attrs, parent, text) {
                var e = document.createElementNS(NS, tag);
                if (attrs) { Object.keys(attrs).forEach(function (k) { if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, String(attrs[k])); }); }
                if (text !== undefined && text !== null) e.textContent = text;
                if (parent) parent.appendChild(e);
                return e;
              }
              function HT(tag, cls, parent, text) {
                var e = document.createElement(tag);
                if (cls) e.className = cls;
                if (text !== undefined && text !== null) e.textContent = text;
                if (parent) parent.appendChild(e);
                return e;
              }
              function prec(v, p) { return String(+v.toPrecision(p)); }
              function fmtTick(v) {
                var a = Math.abs(v);
                if (a === 0) return '0';
                if (a >= 1e9) return prec(v / 1e9, 3) + 'G';
                if (a >= 1e6) return prec(v / 1e6, 3) + 'M';
                if (a >= 1e4) return prec(v / 1e3, 3) + 'k';
                return prec(v, 3);
              }
              function fmtVal(v) {
                if (!isNum(v)) return '\\u2014';
                var a = Math.abs(v);
                if (a >= 1000) return Math.round(v).toLocaleString('en-US');
                if (a >= 100) return prec(v, 4);
                return prec(v, 3);
              }
              function niceStep(span, n) {
                var raw = span / Math.max(1, n);
                var mag = Math.pow(10, Math.floor(Math.log10(raw)));
                var r = raw / mag;
                return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
              }
              function linDomain(lo, hi) {
                if (lo > 0) lo = 0;
                if (!(hi > lo)) hi = lo + 1;
                var st = niceStep(hi - lo, 5);
                return [Math.floor(lo / st) * st, Math.ceil(hi / st) * st];
              }
              function linTicks(dom) {
                var st = niceStep(dom[1] - dom[0], 5), t = [];
                for (var v = dom[0]; v <= dom[1] + st * 1e-9; v += st) t.push(+v.toPrecision(12));
                return t;
              }
              function logDomain(lo, hi) {
                var a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
                if (b <= a) b = a + 1;
                return [Math.pow(10, a), Math.pow(10, b)];
              }
              function logTicks(dom) {
                var a = Math.round(Math.log10(dom[0])), b = Math.round(Math.log10(dom[1])), t = [];
                for (var k = a; k <= b; k++) {
                  var d = Math.pow(10, k);
                  t.push(+d.toPrecision(12));
                  if (b - a <= 2 && k < b) { t.push(+(2 * d).toPrecision(12)); t.push(+(5 * d).toPrecision(12)); }
                }
                return t;
              }
              function mapper(dom, r0, r1, log) {
                var f = log ? Math.log10 : function (v) { return v; };
                var a = f(dom[0]), b = f(dom[1]);
                return function (v) { return r0 + (f(v) - a) / (b - a) * (r1 - r0); };
              }
              function pctLabel(k) {
                if (k === 0) return '0%';
                if (k === 1) return '90%';
                if (k === 2) return '99%';
                return '99.' + new Array(k - 1).join('9') + '%';
              }
              function notMeasured(plot, what) {
                HT('p', 'nm', plot, what + ': not measured');
                return false;
              }
              function legend(plot, items) {
                var lg = HT('div', 'legend', plot);
                items.forEach(function (it) {
                  var s = HT('span', null, lg);
                  var sw = HT('i', null, s);
                  sw.style.background = it.color;
                  if (it.dash) sw.style.opacity = '0.6';
                  s.appendChild(document.createTextNode(it.name));
                });
              }

              // Line (or column) chart. opt: {series:[{name,x,y,color,axis,dash}], xKind:'linear'|'pct', yLog,
              // xLabel, yLabel, yLabelRight, bars, points, toggle, unit}
              function lineChart(plot, opt) {
                var pct = opt.xKind === 'pct';
                var series = [];
                var finiteMaxX = -Infinity;
                opt.series.forEach(function (s) {
                  var pts = [], n = 0;
                  if (!s.x || !s.y) return;
                  for (var i = 0; i < s.x.length && i < s.y.length; i++) {
                    var x = s.x[i], y = s.y[i];
                    if (!isNum(x) || !isNum(y) || (opt.yLog && y <= 0)) { pts.push(null); continue; }
                    var raw = x;
                    if (pct) {
                      if (x < 0 || x > 100) { pts.push(null); continue; }
                      x = x >= 100 ? Infinity : -Math.log10(1 - x / 100);
                    }
                    if (isFinite(x) && x > finiteMaxX) finiteMaxX = x;
                    pts.push([x, y, raw]);
                    n++;
                  }
                  if (n > 0) series.push({ s: s, pts: pts, n: n });
                });
                if (!series.length) return false;
                var maxPos = null;
                if (pct) {
                  maxPos = (finiteMaxX === -Infinity ? 0 : Math.floor(finiteMaxX + 1e-9)) + 1;
                  series.forEach(function (e) { e.pts.forEach(function (p) { if (p && p[0] === Infinity) p[0] = maxPos; }); });
                }
                var xlo = Infinity, xhi = -Infinity, ylo = { left: Infinity, right: Infinity }, yhi = { left: -Infinity, right: -Infinity };
                series.forEach(function (e) {
                  var ax = e.s.axis === 'right' ? 'right' : 'left';
                  e.pts.forEach(function (p) {
                    if (!p) return;
                    xlo = Math.min(xlo, p[0]); xhi = Math.max(xhi, p[0]);
                    ylo[ax] = Math.min(ylo[ax], p[1]); yhi[ax] = Math.max(yhi[ax], p[1]);
                  });
                });
                if (pct) { xlo = Math.min(xlo, Math.log10(2)); xhi = Math.max(xhi, maxPos); }
                if (opt.bars) { xlo -= 0.5; xhi += 0.5; }
                if (!(xhi > xlo)) { xhi = xlo + 1; }
                var x0 = ML, x1 = W - MR, y0 = H - MB, y1 = MT;
                var xs = mapper([xlo, xhi], x0, x1, false);
                function yAxis(ax) {
                  if (!(yhi[ax] >= ylo[ax])) return null;
                  var dom = opt.yLog ? logDomain(ylo[ax], yhi[ax]) : linDomain(Math.min(0, ylo[ax]), yhi[ax]);
                  return { dom: dom, map: mapper(dom, y0, y1, opt.yLog), ticks: opt.yLog ? logTicks(dom) : linTicks(dom) };
                }
                var L = yAxis('left'), Rt = yAxis('right');
                if (!L) { L = Rt; Rt = null; series.forEach(function (e) { e.s.axis = 'left'; }); }

                if (opt.toggle) {
                  var btn = HT('button', null, plot, opt.yLog ? 'y axis: log \\u2192 linear' : 'y axis: linear \\u2192 log');
                  btn.type = 'button';
                  btn.addEventListener('click', function () {
                    plot.textContent = '';
                    var o = Object.assign({}, opt, { yLog: !opt.yLog });
                    if (!lineChart(plot, o)) notMeasured(plot, o.title);
                  });
                }
                var svg = E('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': opt.title }, plot);
                L.ticks.forEach(function (v) {
                  var y = L.map(v);
                  E('line', { x1: x0, x2: x1, y1: y, y2: y, 'class': 'gridline' }, svg);
                  E('text', { x: x0 - 6, y: y + 4, 'text-anchor': 'end' }, svg, fmtTick(v));
                });
                if (Rt) {
                  Rt.ticks.forEach(function (v) {
                    E('text', { x: x1 + 6, y: Rt.map(v) + 4, 'text-anchor': 'start' }, svg, fmtTick(v));
                  });
                }
                var xt = [];
                if (pct) {
                  // 0% would crowd the 50% label: the axis starts there unlabelled
                  xt.push([Math.log10(2), '50%']);
                  for (var k = 1; k < maxPos; k++) xt.push([k, pctLabel(k)]);
                  xt.push([maxPos, 'max']);
                } else {
                  linTicks(linDomain(Math.max(0, xlo), xhi)).forEach(function (v) { if (v >= xlo && v <= xhi) xt.push([v, fmtTick(v)]); });
                }
                xt.forEach(function (t) {
                  var x = xs(t[0]);
                  E('line', { x1: x, x2: x, y1: y0, y2: y1, 'class': 'gridline' }, svg);
                  E('text', { x: x, y: y0 + 16, 'text-anchor': 'middle' }, svg, t[1]);
                });
                E('line', { x1: x0, x2: x1, y1: y0, y2: y0, 'class': 'axis' }, svg);
                E('line', { x1: x0, x2: x0, y1: y0, y2: y1, 'class': 'axis' }, svg);
                if (Rt) E('line', { x1: x1, x2: x1, y1: y0, y2: y1, 'class': 'axis' }, svg);
                if (opt.xLabel) E('text', { x: (x0 + x1) / 2, y: H - 8, 'text-anchor': 'middle', 'class': 'lbl' }, svg, opt.xLabel);
                if (opt.yLabel) E('text', { x: 14, y: (y0 + y1) / 2, 'text-anchor': 'middle', 'class': 'lbl',
                                            transform: 'rotate(-90 14 ' + (y0 + y1) / 2 + ')' }, svg, opt.yLabel + (opt.yLog ? ' (log)' : ''));
                if (Rt && opt.yLabelRight) E('text', { x: W - 12, y: (y0 + y1) / 2, 'text-anchor': 'middle', 'class': 'lbl',
                                            transform: 'rotate(90 ' + (W - 12) + ' ' + (y0 + y1) / 2 + ')' }, svg, opt.yLabelRight);

                series.forEach(function (e) {
                  var ym = e.s.axis === 'right' && Rt ? Rt.map : L.map;
                  var unit = e.s.unit || opt.unit || '';
                  if (opt.bars) {
                    var bw = Math.max(1, (x1 - x0) / Math.max(1, xhi - xlo) * 0.7);
                    var base = ym(Math.max((e.s.axis === 'right' && Rt ? Rt : L).dom[0], 0));
                    e.pts.forEach(function (p) {
                      if (!p) return;
                      var X = xs(p[0]), Y = ym(p[1]);
                      var r = E('rect', { x: (X - bw / 2).toFixed(1), y: Math.min(Y, base).toFixed(1), width: bw.toFixed(1),
                                          height: Math.max(0.5, Math.abs(base - Y)).toFixed(1), fill: e.s.color }, svg);
                      E('title', null, r, (opt.xLabelShort || 'x') + ' ' + fmtVal(p[2]) + ': ' + fmtVal(p[1]) + ' ' + unit);
                    });
                    return;
                  }
                  var d = '', pen = false;
                  e.pts.forEach(function (p) {
                    if (!p) { pen = false; return; }
                    d += (pen ? 'L' : 'M') + xs(p[0]).toFixed(1) + ' ' + ym(p[1]).toFixed(1);
                    pen = true;
                  });
                  E('path', { d: d, fill: 'none', stroke: e.s.color, 'stroke-width': e.s.width || 2, 'stroke-linejoin': 'round',
                              'stroke-dasharray': e.s.dash || null }, svg);
                  if (opt.points || e.n < 2) {
                    e.pts.forEach(function (p) {
                      if (!p) return;
                      var c = E('circle', { cx: xs(p[0]).toFixed(1), cy: ym(p[1]).toFixed(1), r: 3, fill: e.s.color }, svg);
                      E('title', null, c, e.s.name + ' ' + (pct ? (p[2] >= 100 ? 'max' : 'p' + p[2]) : fmtVal(p[2])) + ': ' + fmtVal(p[1]) + ' ' + unit);
                    });
                  }
                });
                legend(plot, series.map(function (e) { return { name: e.s.name + (e.s.axis === 'right' && Rt ? ' (right axis)' : ''), color: e.s.color, dash: e.s.dash }; }));
                return true;
              }

              // Horizontal bars. opt: {rows:[{label, note, bars:[{name,value,color}]}], unit}
              function barChart(plot, opt) {
                var rows = opt.rows.filter(function (r) { return r.bars.some(function (b) { return isNum(b.value); }); });
                if (!rows.length) return false;
                var nb = 1, max = 0;
                rows.forEach(function (r) {
                  nb = Math.max(nb, r.bars.length);
                  r.bars.forEach(function (b) { if (isNum(b.value)) max = Math.max(max, b.value); });
                });
                var bh = 16, gap = 16, LW = 170, x0 = LW, x1 = W - 96;
                var h = MT + rows.length * (nb * bh + gap) + 26;
                var dom = linDomain(0, max), xs = mapper(dom, x0, x1, false);
                var svg = E('svg', { viewBox: '0 0 ' + W + ' ' + h, role: 'img', 'aria-label': opt.title }, plot);
                var yb = h - 24;
                linTicks(dom).forEach(function (v) {
                  var x = xs(v);
                  E('line', { x1: x, x2: x, y1: MT - 4, y2: yb, 'class': 'gridline' }, svg);
                  E('text', { x: x, y: yb + 14, 'text-anchor': 'middle' }, svg, fmtTick(v));
                });
                E('line', { x1: x0, x2: x0, y1: MT - 4, y2: yb, 'class': 'axis' }, svg);
                rows.forEach(function (r, i) {
                  var top = MT + i * (nb * bh + gap);
                  E('text', { x: x0 - 8, y: top + (nb * bh) / 2 + (r.note ? -2 : 4), 'text-anchor': 'end', 'class': 'lbl' }, svg, r.label);
                  if (r.note) E('text', { x: x0 - 8, y: top + (nb * bh) / 2 + 12, 'text-anchor': 'end' }, svg, r.note);
                  r.bars.forEach(function (b, j) {
                    var y = top + j * bh;
                    if (!isNum(b.value)) {
                      E('text', { x: x0 + 4, y: y + bh - 4 }, svg, b.name + ': not measured');
                      return;
                    }
                    var w = Math.max(1, xs(b.value) - x0);
                    var rect = E('rect', { x: x0, y: y + 1, width: w.toFixed(1), height: bh - 3, fill: b.color, rx: 2 }, svg);
                    E('title', null, rect, b.name + ': ' + fmtVal(b.value) + ' ' + opt.unit);
                    E('text', { x: x0 + w + 5, y: y + bh - 4, 'class': 'val' }, svg, fmtVal(b.value) + (nb > 1 ? '  ' + b.name : ''));
                  });
                });
                if (nb > 1) legend(plot, rows[0].bars.map(function (b) { return { name: b.name, color: b.color }; }));
                return true;
              }

              var charts = {
                'latency-dist': function (plot) {
                  var d = R.latency_distribution;
                  if (!Array.isArray(d) || !d.length) return notMeasured(plot, 'Latency distribution');
                  var ser = [{ name: 'this run', color: C.cur, x: d.map(function (p) { return p && p[0]; }), y: d.map(function (p) { return p && p[1]; }), unit: 'ms' }];
                  var bd = B && B.latency_distribution;
                  if (Array.isArray(bd) && bd.length) {
                    ser.push({ name: 'baseline', color: C.base, dash: '6 4', x: bd.map(function (p) { return p && p[0]; }), y: bd.map(function (p) { return p && p[1]; }), unit: 'ms' });
                  }
                  return lineChart(plot, { title: 'Latency distribution', series: ser, xKind: 'pct', yLog: true, toggle: true, points: true,
                                           xLabel: 'percentile (log 1/(1\\u2212p) scale)', yLabel: 'latency ms' }) || notMeasured(plot, 'Latency distribution');
                },
                'throughput': function (plot) {
                  var t = S.t_s;
                  if (!Array.isArray(t) || (!Array.isArray(S.in_rps) && !Array.isArray(S.out_rps))) return notMeasured(plot, 'Throughput over time');
                  return lineChart(plot, { title: 'Throughput', xLabel: 'time s', xLabelShort: 't', yLabel: 'records/s', unit: 'rec/s',
                    series: [{ name: 'in', color: C.inr, x: t, y: S.in_rps, dash: '5 3' }, { name: 'out', color: C.outr, x: t, y: S.out_rps }] })
                    || notMeasured(plot, 'Throughput over time');
                },
                'latency-time': function (plot) {
                  var t = S.t_s;
                  if (!Array.isArray(t) || (!S.p50_ms && !S.p99_ms && !S.max_ms)) return notMeasured(plot, 'Latency over time');
                  return lineChart(plot, { title: 'Latency over time', xLabel: 'time s', yLabel: 'latency ms', unit: 'ms', toggle: true,
                    series: [{ name: 'p50', color: C.p50, x: t, y: S.p50_ms }, { name: 'p99', color: C.p99, x: t, y: S.p99_ms },
                             { name: 'max', color: C.max, x: t, y: S.max_ms, width: 1.5 }] }) || notMeasured(plot, 'Latency over time');
                },
                'alloc-heap': function (plot) {
                  var t = S.t_s;
                  if (!Array.isArray(t) || (!S.alloc_mb_s && !S.heap_used_mb)) return notMeasured(plot, 'Allocation rate and heap');
                  return lineChart(plot, { title: 'Allocation and heap', xLabel: 'time s', yLabel: 'allocation MB/s', yLabelRight: 'heap used MB',
                    series: [{ name: 'allocation MB/s', color: C.alloc, x: t, y: S.alloc_mb_s, unit: 'MB/s' },
                             { name: 'heap used MB', color: C.heap, x: t, y: S.heap_used_mb, axis: 'right', unit: 'MB' }] })
                    || notMeasured(plot, 'Allocation rate and heap');
                },
                'gc': function (plot) {
                  var t = S.t_s;
                  if (!Array.isArray(t) || !Array.isArray(S.gc_pause_ms)) return notMeasured(plot, 'GC pauses');
                  return lineChart(plot, { title: 'GC pauses', xLabel: 'time s', xLabelShort: 't', yLabel: 'pause ms per second', unit: 'ms', bars: true,
                    series: [{ name: 'GC pause time in that second', color: C.gc, x: t, y: S.gc_pause_ms }] }) || notMeasured(plot, 'GC pauses');
                },
                'stages': function (plot) {
                  var st = R.stages_ns_per_record;
                  if (!st || typeof st !== 'object') return notMeasured(plot, 'Time per stage');
                  var bst = B && B.stages_ns_per_record && typeof B.stages_ns_per_record === 'object' ? B.stages_ns_per_record : null;
                  var rows = Object.keys(st).map(function (k) {
                    var bars = [{ name: 'this run', value: st[k], color: C.cur }];
                    if (bst) bars.push({ name: 'baseline', value: bst[k], color: C.base });
                    return { label: k, bars: bars };
                  });
                  return barChart(plot, { title: 'Time per stage', rows: rows, unit: 'ns/record' }) || notMeasured(plot, 'Time per stage');
                },
                'peer': function (plot) {
                  var pe = R.peer;
                  if (!pe || typeof pe !== 'object') return notMeasured(plot, 'Peer comparison');
                  var rows = Object.keys(pe).map(function (q) {
                    var e = pe[q] || {};
                    var note = (isNum(e.ratio) ? 'ratio ' + e.ratio.toFixed(2) + '\\u00d7' : 'no ratio')
                             + (e.verified === true ? ', verified' : e.verified === false ? ', NOT verified' : '');
                    return { label: q, note: note, bars: [{ name: 'Velo', value: e.velo_rps, color: C.velo }, { name: 'Kafka Streams', value: e.peer_rps, color: C.peer }] };
                  });
                  return barChart(plot, { title: 'Peer comparison', rows: rows, unit: 'records/s' }) || notMeasured(plot, 'Peer comparison');
                }
              };

              Object.keys(charts).forEach(function (id) {
                var plot = document.querySelector('#chart-' + id + ' .plot');
                if (!plot) return;
                try {
                  if (charts[id](plot)) drawn++;
                } catch (e) {
                  window.__reportError('chart ' + id + ': ' + (e && e.message ? e.message : e));
                }
              });
              root.dataset.charts = String(drawn);
            })();
            """;
}
