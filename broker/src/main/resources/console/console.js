// Tern web console: shows what /api/ returns and posts what the operator asks for; no logic of its own.
'use strict';

const view = document.getElementById('view');
const status = document.getElementById('status');
let timer = null;

function esc(v) {
  return String(v === null || v === undefined ? '' : v)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function get(path) {
  const r = await fetch('/api/' + path, { credentials: 'same-origin' });
  if (r.status === 401) { location.href = '/login.html'; throw new Error('log in first'); }
  const body = await r.json();
  if (!r.ok) { throw new Error(body.error || r.statusText); }
  return body;
}

async function post(path, fields) {
  const r = await fetch('/api/' + path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Tern-Console': '1' },
    body: new URLSearchParams(fields).toString()
  });
  const body = await r.json();
  if (!r.ok) { throw new Error(body.error || r.statusText); }
  return body;
}

function every(ms, fn) {
  if (timer) { clearInterval(timer); }
  const run = () => fn().then(() => { status.textContent = 'updated ' + new Date().toLocaleTimeString(); })
    .catch(e => { status.textContent = e.message; });
  run();
  timer = setInterval(run, ms);
}

// ---- a line chart on a canvas: the last 120 points of one or two series

class Chart {
  constructor(canvas, colours) { this.canvas = canvas; this.colours = colours; this.series = colours.map(() => []); }
  add(values) {
    values.forEach((v, i) => { this.series[i].push(v); if (this.series[i].length > 120) { this.series[i].shift(); } });
    this.draw();
  }
  draw() {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    c.width = c.clientWidth * dpr; c.height = c.clientHeight * dpr;
    const g = c.getContext('2d'), w = c.width, h = c.height, pad = 4 * dpr;
    g.clearRect(0, 0, w, h);
    const max = Math.max(1, ...this.series.flat());
    g.strokeStyle = '#dde3ea'; g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) { const y = pad + (h - 2 * pad) * i / 4; g.beginPath(); g.moveTo(0, y); g.lineTo(w, y); g.stroke(); }
    this.series.forEach((s, i) => {
      g.strokeStyle = this.colours[i]; g.lineWidth = 2 * dpr; g.beginPath();
      s.forEach((v, j) => {
        const x = w - (s.length - 1 - j) * (w / 119), y = h - pad - (h - 2 * pad) * v / max;
        if (j === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
      });
      g.stroke();
    });
    g.fillStyle = '#5b6b7b'; g.font = (11 * dpr) + 'px sans-serif'; g.fillText(String(Math.round(max * 10) / 10), pad, 12 * dpr);
  }
}

// ---- views

function overview() {
  view.innerHTML = '<div class="cards" id="cards"></div><div class="charts">'
    + '<div class="chart"><h3>Messages per second: <span style="color:#1f77b4">in</span>, <span style="color:#d62728">out</span></h3><canvas id="rates"></canvas></div>'
    + '<div class="chart"><h3>Waiting messages</h3><canvas id="waiting"></canvas></div>'
    + '<div class="chart"><h3>Memory held by waiting messages (MiB)</h3><canvas id="memory"></canvas></div>'
    + '<div class="chart"><h3>Journal forces per second</h3><canvas id="forces"></canvas></div></div>';
  const rates = new Chart(document.getElementById('rates'), ['#1f77b4', '#d62728']);
  const waiting = new Chart(document.getElementById('waiting'), ['#2ca02c']);
  const memory = new Chart(document.getElementById('memory'), ['#9467bd']);
  const forces = new Chart(document.getElementById('forces'), ['#8c564b']);
  let last = null;
  every(1000, async () => {
    const o = await get('overview');
    document.getElementById('cards').innerHTML = [
      ['Connections', o.connections], ['Sessions', o.sessions], ['Destinations', o.destinations],
      ['Waiting', o.waiting], ['Memory', (o.memoryBytes / 1048576).toFixed(1) + ' MiB of ' + (o.maxMemory / 1048576).toFixed(0)],
      ['XA in doubt', o.preparedBranches], ['Store', o.storeFenced ? 'FENCED: ' + o.storeFenced : 'healthy'],
      ['Uptime', Math.round(o.uptimeMillis / 1000) + ' s']
    ].map(([k, v]) => '<div class="card">' + esc(k) + '<b>' + esc(v) + '</b></div>').join('');
    if (last) {
      const s = Math.max(0.001, (o.time - last.time) / 1000);
      rates.add([Math.max(0, o.enqueued - last.enqueued) / s, Math.max(0, o.acknowledged - last.acknowledged) / s]);
      forces.add([Math.max(0, o.journalForces - last.journalForces) / s]);
    }
    waiting.add([o.waiting]);
    memory.add([o.memoryBytes / 1048576]);
    last = o;
  });
}

function destinations(params) {
  const filter = params.get('filter') || '', offset = Number(params.get('offset') || 0), limit = 50;
  view.innerHTML = '<div class="actions"><label>Filter <input id="filter" value="' + esc(filter) + '"></label>'
    + '<button id="apply">Apply</button> <span id="paging"></span></div><table id="destinations"><thead><tr>'
    + '<th>Name</th><th>Type</th><th class="n">Waiting</th><th class="n">Paged</th><th class="n">In flight</th>'
    + '<th class="n">Consumers</th><th class="n">Producers</th><th class="n">Enqueued</th><th class="n">Acked</th>'
    + '<th class="n">Dead-lettered</th></tr></thead><tbody></tbody></table>';
  document.getElementById('apply').onclick = () => {
    location.hash = '#/destinations?filter=' + encodeURIComponent(document.getElementById('filter').value);
  };
  every(2000, async () => {
    const page = await get('destinations?offset=' + offset + '&limit=' + limit + '&filter=' + encodeURIComponent(filter));
    document.querySelector('#destinations tbody').innerHTML = page.items.map(d => '<tr data-name="' + esc(d.name) + '">'
      + '<td><a href="#/destination?name=' + encodeURIComponent(d.name) + '">' + esc(d.name) + '</a>' + (d.paused ? ' (paused)' : '') + '</td>'
      + '<td>' + esc(d.type) + '</td><td class="n waiting">' + d.waiting + '</td><td class="n">' + d.paged + '</td>'
      + '<td class="n">' + d.inFlight + '</td><td class="n">' + d.consumers + '</td><td class="n">' + d.producers + '</td>'
      + '<td class="n">' + d.enqueued + '</td><td class="n">' + d.acknowledged + '</td><td class="n">' + d.deadLettered + '</td></tr>').join('');
    const to = Math.min(page.total, offset + limit);
    const link = (o, text) => '<a href="#/destinations?filter=' + encodeURIComponent(filter) + '&offset=' + o + '">' + text + '</a>';
    document.getElementById('paging').innerHTML = (page.total ? (offset + 1) + '-' + to : '0') + ' of ' + page.total + ' '
      + (offset > 0 ? link(Math.max(0, offset - limit), '&larr; previous') + ' ' : '')
      + (to < page.total ? link(offset + limit, 'next &rarr;') : '');
  });
}

function destination(params) {
  const name = params.get('name');
  view.innerHTML = '<h2>' + esc(name) + '</h2><div class="cards" id="cards"></div>'
    + '<div class="chart"><h3>Messages per second: <span style="color:#1f77b4">in</span>, <span style="color:#d62728">out</span></h3><canvas id="rates"></canvas></div>'
    + '<div class="actions">'
    + '<button id="redrive">Re-drive dead letters to their origin</button>'
    + '<button id="purge">Purge</button><button id="pause">Pause delivery</button><button id="resume">Resume delivery</button><br><br>'
    + '<label>Selector <input id="selector" size="40" placeholder="e.g. JMS_TERN_DeliveryAttempts > 3"></label>'
    + '<label>to queue <input id="to" size="16"></label><button id="move">Move selected</button>'
    + '<button id="delete">Delete selected</button><button id="browse">Browse selected</button>'
    + '<div id="result"></div></div><h3>Consumers</h3><ul id="consumers"></ul><h3>Messages (waiting, not consumed)</h3>'
    + '<div class="actions" id="messages-paging"></div><table id="messages"><thead><tr><th>Message id</th><th>Headers</th><th>Properties</th><th>Body</th></tr></thead><tbody></tbody></table>';
  const rates = new Chart(document.getElementById('rates'), ['#1f77b4', '#d62728']);
  const result = document.getElementById('result');
  const sel = () => document.getElementById('selector').value;
  const act = (fn) => fn().then(r => { result.textContent = JSON.stringify(r); browse(); })
    .catch(e => { result.innerHTML = '<span class="error">' + esc(e.message) + '</span>'; });
  // the broker pages: those on the heap first, then those paged out to the journal, in arrival order
  const pageSize = 50;
  let messageOffset = 0;
  const browse = async () => {
    const ms = await get('messages?name=' + encodeURIComponent(name) + '&offset=' + messageOffset + '&limit=' + pageSize
      + '&selector=' + encodeURIComponent(sel()));
    const paging = document.getElementById('messages-paging');
    paging.innerHTML = (ms.length ? (messageOffset + 1) + '-' + (messageOffset + ms.length) : 'none') + ' '
      + (messageOffset > 0 ? '<button id="messages-previous">&larr; previous ' + pageSize + '</button> ' : '')
      + (ms.length === pageSize ? '<button id="messages-next">next ' + pageSize + ' &rarr;</button>' : '');
    const turn = (id, delta) => {
      const b = document.getElementById(id);
      if (b) {
        b.onclick = () => { messageOffset = Math.max(0, messageOffset + delta); browse().catch(e => { result.innerHTML = '<span class="error">' + esc(e.message) + '</span>'; }); };
      }
    };
    turn('messages-previous', -pageSize);
    turn('messages-next', pageSize);
    document.querySelector('#messages tbody').innerHTML = ms.map(m => '<tr><td>' + esc(m.messageId) + '</td><td><pre>'
      + esc(['timestamp', 'deliveryMode', 'priority', 'expiration', 'correlationId', 'type', 'replyTo', 'deliveryAttempts']
        .map(k => k + ': ' + m[k]).join('\n')) + '</pre></td><td><pre>' + esc(JSON.stringify(m.properties, null, 1))
      + '</pre></td><td><pre>' + esc(m.bodyType + '\n' + (m.body === null ? '' : m.body)) + '</pre></td></tr>').join('');
  };
  document.getElementById('redrive').onclick = () => act(() => post('redrive', { name: name, selector: sel() }));
  document.getElementById('purge').onclick = () => { if (confirm('Delete every message of ' + name + '?')) { act(() => post('purge', { name: name })); } };
  document.getElementById('pause').onclick = () => act(() => post('pause', { name: name }));
  document.getElementById('resume').onclick = () => act(() => post('resume', { name: name }));
  document.getElementById('move').onclick = () => act(() => post('move', { name: name, to: document.getElementById('to').value, selector: sel() }));
  document.getElementById('delete').onclick = () => act(() => post('delete-messages', { name: name, selector: sel() }));
  document.getElementById('browse').onclick = () => { messageOffset = 0; return browse().catch(e => { result.innerHTML = '<span class="error">' + esc(e.message) + '</span>'; }); };
  browse().catch(e => { result.innerHTML = '<span class="error">' + esc(e.message) + '</span>'; });
  let last = null;
  every(1000, async () => {
    const info = await get('destination?name=' + encodeURIComponent(name));
    const d = info.destination;
    document.getElementById('cards').innerHTML = [['Type', d.type], ['Waiting', d.waiting], ['Paged', d.paged],
      ['In flight', d.inFlight], ['Scheduled', d.scheduled], ['Consumers', d.consumers], ['Producers', d.producers],
      ['Paused', d.paused ? 'yes' : 'no'], ['Enqueued', d.enqueued], ['Delivered', d.delivered], ['Acked', d.acknowledged],
      ['Redelivered', d.redelivered], ['Dead-lettered', d.deadLettered], ['Expired', d.expired], ['Duplicates', d.duplicatesDropped]]
      .map(([k, v]) => '<div class="card">' + esc(k) + '<b id="card-' + esc(k.toLowerCase().replace(/ /g, '-')) + '">' + esc(v) + '</b></div>').join('');
    document.getElementById('consumers').innerHTML = info.consumers.length
      ? info.consumers.map(c => '<li>' + esc(c) + '</li>').join('') : '<li class="hint">none</li>';
    const now = Date.now();
    if (last) {
      const s = Math.max(0.001, (now - last.at) / 1000);
      rates.add([Math.max(0, d.enqueued - last.d.enqueued) / s, Math.max(0, d.acknowledged - last.d.acknowledged) / s]);
    }
    last = { d: d, at: now };
  });
}

function connections() {
  view.innerHTML = '<table id="connections"><thead><tr><th>Id</th><th>Client id</th><th>User</th><th>Address</th>'
    + '<th class="n">Sessions</th><th class="n">Consumers</th><th>Connected</th></tr></thead><tbody></tbody></table>';
  every(2000, async () => {
    const cs = await get('connections');
    document.querySelector('#connections tbody').innerHTML = cs.map(c => '<tr><td>' + esc(c.id) + '</td><td>' + esc(c.clientId || '-')
      + '</td><td>' + esc(c.user || '-') + '</td><td>' + esc(c.remoteAddress) + '</td><td class="n">' + c.sessions
      + '</td><td class="n">' + c.consumers + '</td><td>' + esc(new Date(c.connectedAt).toISOString()) + '</td></tr>').join('');
  });
}

function xa() {
  view.innerHTML = '<p class="hint">Branches prepared by a transaction manager that has not finished them. Commit or roll '
    + 'back only when the transaction manager is gone for good: the decision is heuristic.</p><table id="xa"><tbody></tbody></table>'
    + '<h3>Heuristic outcomes not yet forgotten</h3><ul id="heuristic"></ul><div id="result"></div>';
  const result = document.getElementById('result');
  const load = async () => {
    const x = await get('xa');
    document.querySelector('#xa tbody').innerHTML = x.prepared.length ? x.prepared.map(line => {
      const xid = line.split(' ')[0];
      return '<tr><td><pre>' + esc(line) + '</pre></td><td><button data-xid="' + esc(xid) + '" data-op="xa-commit">Commit</button>'
        + '<button data-xid="' + esc(xid) + '" data-op="xa-rollback">Roll back</button></td></tr>';
    }).join('') : '<tr><td class="hint">no prepared XA branches</td></tr>';
    document.getElementById('heuristic').innerHTML = x.heuristic.map(h => '<li>' + esc(h) + '</li>').join('') || '<li class="hint">none</li>';
    document.querySelectorAll('#xa button').forEach(b => { b.onclick = () => post(b.dataset.op, { xid: b.dataset.xid })
      .then(r => { result.textContent = r.result; load(); }).catch(e => { result.innerHTML = '<span class="error">' + esc(e.message) + '</span>'; }); });
  };
  every(5000, load);
}

function route() {
  const hash = location.hash || '#/overview';
  const [path, query] = hash.substring(1).split('?');
  const params = new URLSearchParams(query || '');
  ({ '/overview': overview, '/destinations': destinations, '/destination': destination, '/connections': connections, '/xa': xa }[path]
    || overview)(params);
}

window.addEventListener('hashchange', route);
route();
