/**
 * The topology as one self-contained HTML page: the graph as JSON, dagre's layout code inlined from
 * node_modules at render time, and a small script that lays the graph out and draws it as SVG (sub-topologies
 * as boxes, internal topics marked, changelog links dashed, a node's details on hover and click). With `live`
 * the page also polls a URL for per-node rates and store sizes and shows them on the nodes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TopologyDescription } from '../topology-description';
import { topologyGraph, type TopologyGraph } from './topology-graph';

export interface HtmlOptions {
  /** The page title (default "Topology"). */
  readonly title?: string;
  /** Poll this URL (JSON `LiveStats`) every `intervalMs` and show the numbers on the nodes. */
  readonly live?: { readonly url: string; readonly intervalMs?: number };
}

/** What a live page polls: per processor node, per store. */
export interface LiveStats {
  readonly state?: string;
  readonly nodes: { readonly [nodeName: string]: { readonly processRate: number; readonly processTotal: number } };
  readonly stores: { readonly [storeName: string]: { readonly size: number } };
}

let dagreSource: string | null = null;

/** dagre's browser build, read once from node_modules. */
function dagreCode(): string {
  if (dagreSource === null) {
    const pkg = require.resolve('@dagrejs/dagre/package.json');
    dagreSource = fs.readFileSync(path.join(path.dirname(pkg), 'dist', 'dagre.min.js'), 'utf8');
  }
  return dagreSource;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body { margin: 0; font: 13px system-ui, sans-serif; color: #222; background: #fafafa; }
header { position: sticky; top: 0; left: 0; z-index: 2; height: 24px; padding: 8px 16px; background: #263238; color: #fff; display: flex; gap: 24px; align-items: baseline; }
header button { font: inherit; }
header h1 { font-size: 16px; margin: 0; }
header .legend span { margin-right: 14px; }
#canvas { margin-right: 345px; }
#details { position: fixed; right: 0; top: 40px; bottom: 0; width: 320px; border-left: 1px solid #ddd; padding: 12px; overflow: auto; background: #fff; z-index: 1; }
#details h2 { font-size: 14px; margin: 0 0 8px; word-break: break-all; }
#details dt { font-weight: 600; margin-top: 6px; } #details dd { margin: 0; word-break: break-all; }
svg text { font: 12px system-ui, sans-serif; }
.group rect { fill: #eceff1; stroke: #90a4ae; rx: 8; } .group.global rect { stroke-dasharray: 6 4; }
.group text { fill: #455a64; font-weight: 600; }
.node rect, .node path, .node ellipse { stroke: #546e7a; stroke-width: 1.2; }
.node.source rect { fill: #e8f5e9; } .node.processor rect { fill: #fff; } .node.sink rect { fill: #fce4ec; }
.node.store path, .node.store ellipse { fill: #e3f2fd; }
.node.topic path { fill: #f5f5f5; } .node.topic.internal path { fill: #fff7e0; stroke: #ef6c00; stroke-dasharray: 5 3; }
.node.selected rect, .node.selected path { stroke: #d81b60; stroke-width: 2.5; }
.node { cursor: pointer; outline: none; } .node .stat { fill: #1565c0; font-size: 11px; }
.edge { fill: none; stroke: #78909c; stroke-width: 1.2; } .edge.store { stroke-dasharray: 2 3; }
.edge.changelog { stroke: #ef6c00; stroke-dasharray: 6 4; }
`;

const SCRIPT = `
(function () {
  var G = window.KSTREAMS_GRAPH, LIVE = window.KSTREAMS_LIVE;
  var NS = 'http://www.w3.org/2000/svg';
  var ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '12px system-ui, sans-serif';
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  var g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(function () { return {}; });
  G.groups.forEach(function (grp) { g.setNode(grp.id, { label: grp.label, paddingTop: 28 }); });
  var LIVE_LINE = LIVE ? 16 : 0;
  G.nodes.forEach(function (n) {
    var w = Math.max(90, ctx.measureText(n.label).width + (n.kind === 'topic' ? 40 : 28));
    var h = (n.kind === 'store' ? 46 : 34) + ((n.kind === 'processor' || n.kind === 'source' || n.kind === 'sink' || n.kind === 'store') ? LIVE_LINE : 0);
    g.setNode(n.id, { width: w, height: h });
    if (n.group) g.setParent(n.id, n.group);
  });
  G.edges.forEach(function (e) { g.setEdge(e.from, e.to, { kind: e.kind }); });
  dagre.layout(g);
  var size = g.graph();
  var W = size.width + 40, H = size.height + 40;
  var svg = el('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, id: 'topology' }, document.getElementById('canvas'));
  var fitted = false;
  document.getElementById('fit').addEventListener('click', function () {
    fitted = !fitted;
    svg.setAttribute('width', fitted ? '100%' : W);
    svg.setAttribute('height', fitted ? String(Math.min(H, (window.innerHeight - 50))) : H);
    this.textContent = fitted ? 'actual size' : 'fit to window';
  });
  var defs = el('defs', {}, svg);
  var marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#78909c' }, marker);
  var groups = el('g', { class: 'groups' }, svg), edges = el('g', { class: 'edges' }, svg), nodes = el('g', { class: 'nodes' }, svg);
  G.groups.forEach(function (grp) {
    var b = g.node(grp.id);
    var gr = el('g', { class: 'group' + (grp.global ? ' global' : ''), 'data-id': grp.id }, groups);
    el('rect', { x: b.x - b.width / 2, y: b.y - b.height / 2 - 18, width: b.width, height: b.height + 18 }, gr);
    el('text', { x: b.x - b.width / 2 + 8, y: b.y - b.height / 2 - 4 }, gr).textContent = grp.label;
  });
  g.edges().forEach(function (ref) {
    var e = g.edge(ref), pts = e.points;
    var d = 'M' + pts.map(function (p) { return p.x + ',' + p.y; }).join(' L');
    var attrs = { d: d, class: 'edge ' + e.kind, 'data-from': ref.v, 'data-to': ref.w };
    if (e.kind !== 'store') attrs['marker-end'] = 'url(#arrow)';
    el('path', attrs, edges);
  });
  var byId = {}, statByName = {};
  function showDetails(n) {
    var box = document.getElementById('details');
    box.innerHTML = '';
    var h = document.createElement('h2'); h.textContent = n.label; box.appendChild(h);
    var dl = document.createElement('dl');
    n.details.forEach(function (kv) {
      var dt = document.createElement('dt'); dt.textContent = kv[0]; dl.appendChild(dt);
      var dd = document.createElement('dd'); dd.textContent = kv[1]; dl.appendChild(dd);
    });
    var live = statByName[n.id];
    if (live && live.textContent) { var dt2 = document.createElement('dt'); dt2.textContent = 'live'; dl.appendChild(dt2); var dd2 = document.createElement('dd'); dd2.textContent = live.textContent; dl.appendChild(dd2); }
    box.appendChild(dl);
    Array.prototype.forEach.call(document.querySelectorAll('.node.selected'), function (x) { x.classList.remove('selected'); });
    byId[n.id].classList.add('selected');
  }
  G.nodes.forEach(function (n) {
    var b = g.node(n.id), x = b.x - b.width / 2, y = b.y - b.height / 2;
    var cls = 'node ' + n.kind + (n.internal ? ' internal ' + n.internal : '');
    var ng = el('g', { class: cls, 'data-id': n.id, 'data-kind': n.kind, 'data-label': n.label, tabindex: 0 }, nodes);
    byId[n.id] = ng;
    el('title', {}, ng).textContent = n.label + '\\n' + n.details.map(function (kv) { return kv[0] + ': ' + kv[1]; }).join('\\n');
    if (n.kind === 'store') {
      var ry = 6;
      el('path', { d: 'M' + x + ',' + (y + ry) + ' v' + (b.height - 2 * ry) + ' a' + b.width / 2 + ',' + ry + ' 0 0 0 ' + b.width + ',0 v' + -(b.height - 2 * ry) }, ng);
      el('ellipse', { cx: b.x, cy: y + ry, rx: b.width / 2, ry: ry }, ng);
    } else if (n.kind === 'topic') {
      var k = 10;
      el('path', { d: 'M' + x + ',' + y + ' h' + (b.width - k) + ' l' + k + ',' + b.height / 2 + ' l' + -k + ',' + b.height / 2 + ' h' + -(b.width - k) + ' l' + k + ',' + -b.height / 2 + ' z' }, ng);
    } else {
      el('rect', { x: x, y: y, width: b.width, height: b.height, rx: n.kind === 'processor' ? 3 : 12 }, ng);
    }
    var ty = n.kind === 'store' ? y + 26 : y + 21;
    el('text', { x: b.x, y: ty, 'text-anchor': 'middle', class: 'label' }, ng).textContent = n.label;
    if (n.internal) el('text', { x: b.x, y: y + b.height + 11, 'text-anchor': 'middle', class: 'tag' }, ng).textContent = n.internal;
    if (LIVE && n.kind !== 'topic') statByName[n.id] = el('text', { x: b.x, y: ty + 16, 'text-anchor': 'middle', class: 'stat' }, ng);
    ng.addEventListener('click', function () { showDetails(n); });
  });
  document.getElementById('count').textContent = G.nodes.length + ' nodes and topics, ' + G.groups.length + ' sub-topologies';
  if (LIVE) {
    var fmt = function (v) { return v >= 100 ? Math.round(v).toString() : v.toFixed(1); };
    var poll = function () {
      fetch(LIVE.url).then(function (r) { return r.json(); }).then(function (s) {
        Object.keys(s.nodes).forEach(function (name) {
          var t = statByName['node:' + name]; if (t) t.textContent = fmt(s.nodes[name].processRate) + ' rec/s · ' + s.nodes[name].processTotal + ' total';
        });
        Object.keys(s.stores).forEach(function (name) {
          var t = statByName['store:' + name]; if (t) t.textContent = s.stores[name].size + ' entries';
        });
        document.getElementById('state').textContent = s.state || '';
        document.body.setAttribute('data-updated', String(Date.now()));
      }).catch(function () { document.getElementById('state').textContent = 'disconnected'; });
    };
    poll();
    setInterval(poll, LIVE.intervalMs || 1000);
  }
  document.body.setAttribute('data-rendered', 'true');
})();
`;

/** The page for a graph (the picture's model), with dagre inlined. */
export function graphToHtml(graph: TopologyGraph, options: HtmlOptions = {}, describeText = ''): string {
  const title = options.title ?? 'Topology';
  const live = options.live ? { url: options.live.url, intervalMs: options.live.intervalMs ?? 1000 } : null;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><span id="count"></span><span id="state"></span>
<button id="fit" type="button">fit to window</button><span class="legend"><span>▭ processor</span><span>⛁ store</span><span>▷ topic</span><span style="color:#ef6c00">- - internal topic / changelog</span></span></header>
<div id="canvas"></div><aside id="details"><p>Hover a node for its details; click to pin them here.</p>${
    describeText ? `<details><summary>describe() text</summary><pre>${escapeHtml(describeText)}</pre></details>` : ''
  }</aside>
<script>window.KSTREAMS_GRAPH = ${scriptJson(graph)}; window.KSTREAMS_LIVE = ${scriptJson(live)};</script>
<script>${dagreCode()}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** One self-contained HTML page drawing the description. */
export function toHtml(description: TopologyDescription, options: HtmlOptions = {}): string {
  return graphToHtml(topologyGraph(description), options, description.toString());
}
