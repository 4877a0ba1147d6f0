// cadv's web page: one document, routed here by its path, drawn from
// exporterd's JSON API (cAdvisor's).  Plain JavaScript and canvas: no
// framework, nothing loaded from elsewhere (README "The web page").
'use strict';

const $ = id => document.getElementById(id);
const API = '/api/v2.0';
const TICK_MS = 1000;
const TREE_MS = 10000;
const UNLIMITED = 2 ** 62;	// 2^64-1 and friends read as "no limit"

// ---- formatting: units a person reads --------------------------------
function bytes(v) {
	if (v == null || !isFinite(v)) return '–';
	const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
	let i = 0, a = Math.abs(v);
	while (a >= 1024 && i < u.length - 1) { a /= 1024; v /= 1024; i++; }
	return (i ? v.toFixed(a < 10 ? 2 : a < 100 ? 1 : 0) : Math.round(v)) + ' ' + u[i];
}
const rate = v => bytes(v) + '/s';
function num(v, d) {
	if (v == null || !isFinite(v)) return '–';
	const a = Math.abs(v);
	if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
	if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
	if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
	return v.toFixed(d == null ? (a < 10 ? 2 : 0) : d);
}
const cores = v => num(v, v < 10 ? 3 : 1) + ' cores';
const pct = v => num(v, 1) + ' %';
const perSec = v => num(v) + '/s';
const hms = t => new Date(t).toLocaleTimeString([], { hour12: false });
const hm = t => new Date(t).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit' });

function el(tag, props, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(props || {})) {
		if (k === 'dataset') Object.assign(e.dataset, v);
		else if (k in e) e[k] = v;
		else e.setAttribute(k, v);
	}
	for (const k of kids) if (k != null) e.append(k);
	return e;
}

async function getJSON(url) {
	const r = await fetch(url);
	if (!r.ok) {
		let msg = r.status + ' ' + r.statusText;
		try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
		throw new Error(msg);
	}
	return r.json();
}
const enc = name => name.split('/').map(encodeURIComponent).join('/');
const cpath = name => '/containers' + (name === '/' ? '/' : enc(name));

// ---- state -----------------------------------------------------------
const st = {
	list: [],		// {name, spec} of every live container
	byName: new Map(),
	kids: new Map(),	// name -> [child names]
	treeKey: '',
	collapsed: new Set(),
	cur: null,		// the container shown, or null for the overview
	range: 'live',
	series: [],		// the container's samples in the live window
	window: 60,		// samples kept: the storage duration in ticks
	charts: [],
	timer: 0,
	listReady: null,	// the first loadList, settled
	lastUpdateMs: [],	// script time of the last live updates
	sorts: {},		// table class -> [column, descending]
};
window.cadv = st;	// for tests: timings, the state

// ---- identity ----------------------------------------------------------
// c: {name, spec} with spec a v2 ContainerSpec (aliases, namespace,
// image, labels as identd recorded them)
function ident(c) {
	const sp = (c && c.spec) || {};
	const l = sp.labels || {};
	const al = sp.aliases || [];
	const pod = l['io.kubernetes.pod.name'] || '';
	// cAdvisor's aliases: [name, id], but containerd's are [id, cgroup]
	const ctrd = sp.namespace === 'containerd';
	const id = (ctrd ? al[0] : al[1]) || '';
	const name = ctrd ? (l['io.kubernetes.container.name'] ||
		(l['io.cri-containerd.kind'] === 'sandbox' && pod ? pod + ' (sandbox)' : id.slice(0, 12))) : al[0] || '';
	return {
		name, id, pod,
		image: sp.image || '',
		runtime: sp.namespace || '',
		podns: l['io.kubernetes.pod.namespace'] || '',
		labels: l,
	};
}
function shortName(n) {
	const c = st.byName.get(n), i = ident(c);
	if (i.name) return i.name;
	return n === '/' ? '/' : n.split('/').pop();
}

// ---- the tree ----------------------------------------------------------
async function loadList() {
	// v2's specs: the live containers with their identities, a tenth of
	// v1's subcontainers in bytes and time with 1,000 of them
	const l = await getJSON(API + '/spec/?recursive=true');
	st.list = Object.entries(l).map(([name, spec]) => ({ name, spec }));
	st.byName = new Map(st.list.map(c => [c.name, c]));
	st.kids = new Map();
	for (const c of st.list) {
		if (c.name === '/') continue;
		let p = c.name.slice(0, c.name.lastIndexOf('/')) || '/';
		while (!st.byName.has(p) && p !== '/') p = p.slice(0, p.lastIndexOf('/')) || '/';
		if (!st.kids.has(p)) st.kids.set(p, []);
		st.kids.get(p).push(c.name);
	}
	for (const k of st.kids.values()) k.sort();
	const key = st.list.map(c => c.name).sort().join('\n');
	if (key !== st.treeKey) { st.treeKey = key; drawTree(); }
	else markSel();
}

function drawTree() {
	const t = $('tree'), frag = document.createDocumentFragment();
	const walk = (n, depth, hidden) => {
		const kids = st.kids.get(n) || [];
		const open = !st.collapsed.has(n);
		const i = ident(st.byName.get(n));
		const tg = el('button', { className: 'tg' + (kids.length ? '' : ' leaf'),
			textContent: kids.length ? (open ? '▾' : '▸') : '',
			ariaLabel: (open ? 'collapse ' : 'expand ') + n,
			ariaExpanded: String(open), tabIndex: kids.length ? 0 : -1 });
		tg.dataset.for = n;
		const a = el('a', { href: cpath(n), title: n, textContent: shortName(n) });
		a.dataset.name = n;
		const row = el('div', { className: 'n' + (hidden ? ' hid' : ''), role: 'treeitem' }, tg, a,
			i.image ? el('span', { className: 'sub', textContent: i.image }) : null);
		row.style.paddingLeft = (depth * 12) + 'px';
		row.dataset.search = (n + ' ' + i.name + ' ' + i.image + ' ' + i.pod).toLowerCase();
		row.dataset.depth = depth;
		frag.append(row);
		for (const k of kids) walk(k, depth + 1, hidden || !open);
	};
	// a store without the root container (a test's) lists its tops
	if (st.byName.has('/')) walk('/', 0, false);
	else for (const n of st.kids.get('/') || []) walk(n, 0, false);
	t.replaceChildren(frag);
	$('treeinfo').textContent = st.list.length + ' containers';
	applySearch();
	markSel();
}

function markSel() {
	for (const a of $('tree').querySelectorAll('a.sel')) a.classList.remove('sel');
	if (st.cur == null) return;
	const a = $('tree').querySelector('a[data-name="' + CSS.escape(st.cur) + '"]');
	if (a) { a.classList.add('sel'); a.setAttribute('aria-current', 'page'); }
}

function applySearch() {
	const q = $('search').value.trim().toLowerCase();
	const rows = $('tree').children;
	if (!q) {	// back to the collapsed state
		let hideBelow = Infinity;
		for (const r of rows) {
			const d = +r.dataset.depth;
			if (d <= hideBelow) hideBelow = Infinity;
			r.classList.toggle('hid', d > hideBelow);
			const b = r.firstChild;
			if (hideBelow === Infinity && st.collapsed.has(b.dataset.for)) hideBelow = d;
		}
		return;
	}
	let shown = 0;
	for (const r of rows) {
		const m = r.dataset.search.includes(q);
		r.classList.toggle('hid', !m);
		shown += m;
	}
	$('treeinfo').textContent = shown + ' of ' + st.list.length + ' containers match';
}

// ---- charts --------------------------------------------------------------
// A chart: series of [t ms, v] with a labelled time axis and value axis,
// each series a dash pattern and a legend entry, the values under the
// pointer in a tooltip.
const DASH = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4]];
const COLOR = ['#034e8c', '#b33c00', '#2d6a1f', '#6a1b9a', '#444', '#8a6d00'];

class Chart {
	constructor(id, title, fmt) {
		this.cv = el('canvas', { id, className: 'chart', width: 460, height: 200,
			role: 'img', ariaLabel: title });
		this.title = title; this.fmt = fmt; this.series = []; this.lines = [];
		this.fig = el('figure', {}, this.cv, el('figcaption', { textContent: title }));
		this.cv.addEventListener('mousemove', e => this.tip(e));
		this.cv.addEventListener('mouseleave', () => { $('tip').hidden = true; });
	}
	// series: [{name, pts: [[t, v]...]}]; lines: [{name, v}] (a limit)
	set(series, lines) { this.series = series; this.lines = lines || []; this.draw(); }
	draw() {
		const cv = this.cv, g = cv.getContext('2d'), W = cv.width, H = cv.height;
		const L = 78, R = 8, T = 22, B = 34;
		g.clearRect(0, 0, W, H);
		g.font = '11px system-ui,sans-serif'; g.fillStyle = '#111'; g.strokeStyle = '#111';
		let n = 0, t0 = Infinity, t1 = -Infinity, max = 0;
		for (const s of this.series) for (const [t, v] of s.pts) {
			n++; t0 = Math.min(t0, t); t1 = Math.max(t1, t); max = Math.max(max, v);
		}
		for (const l of this.lines) if (l.v < max * 4 || !max) max = Math.max(max, l.v);
		cv.dataset.points = this.series.length ? Math.max(...this.series.map(s => s.pts.length)) : 0;
		if (!n) { g.fillText('no data yet', L + 10, H / 2); return; }
		if (!(max > 0)) max = 1;
		if (t1 <= t0) t1 = t0 + 1;
		this.box = { L, R, T, B, W, H, t0, t1, max };
		const x = t => L + (W - L - R) * (t - t0) / (t1 - t0);
		const y = v => H - B - (H - B - T) * v / max;
		// axes: value ticks with units, time ticks as clock times
		g.beginPath(); g.moveTo(L, T); g.lineTo(L, H - B); g.lineTo(W - R, H - B); g.stroke();
		g.textAlign = 'right'; g.textBaseline = 'middle';
		for (let i = 0; i <= 4; i++) {
			const v = max * i / 4;
			g.fillText(this.fmt(v), L - 4, y(v));
			g.strokeStyle = '#ddd'; g.beginPath(); g.moveTo(L + 1, y(v)); g.lineTo(W - R, y(v)); g.stroke();
		}
		g.textAlign = 'center'; g.textBaseline = 'top'; g.strokeStyle = '#111';
		const span = t1 - t0, f = span > 3 * 3600e3 ? hm : hms;
		for (let i = 0; i <= 4; i++) {
			const t = t0 + span * i / 4;
			g.textAlign = i === 4 ? 'right' : i === 0 ? 'left' : 'center';
			g.fillText(f(t), x(t), H - B + 4);
		}
		g.textAlign = 'center';
		g.fillText('time', (L + W) / 2, H - 12);
		// the axes' labels, for tests and for readers of the DOM
		cv.dataset.yaxis = [0, 1, 2, 3, 4].map(i => this.fmt(max * i / 4)).join(' | ');
		cv.dataset.xaxis = [0, 1, 2, 3, 4].map(i => f(t0 + span * i / 4)).join(' | ');
		g.textAlign = 'left'; g.textBaseline = 'alphabetic';
		// series and legend
		let lx = L;
		const legend = (name, k) => {
			g.setLineDash(DASH[k % DASH.length]); g.strokeStyle = COLOR[k % COLOR.length];
			g.beginPath(); g.moveTo(lx, 10); g.lineTo(lx + 18, 10); g.stroke();
			g.setLineDash([]); g.fillStyle = '#111'; g.fillText(name, lx + 21, 14);
			lx += 28 + g.measureText(name).width;
		};
		this.series.forEach((s, k) => {
			g.lineWidth = 1.6; g.setLineDash(DASH[k % DASH.length]); g.strokeStyle = COLOR[k % COLOR.length];
			g.beginPath();
			s.pts.forEach(([t, v], i) => i ? g.lineTo(x(t), y(v)) : g.moveTo(x(t), y(v)));
			g.stroke();
			legend(s.name, k);
		});
		cv.dataset.lines = this.lines.map(l => l.name + ' ' + this.fmt(l.v)).join(' | ');
		this.lines.forEach((l, j) => {
			if (l.v > max) {	// far above the data: named, not drawn
				g.fillStyle = '#8a1c00';
				g.fillText(l.name + ' ' + this.fmt(l.v) + ' (above the scale)', L + 4 + j * 180, T + 10);
				return;
			}
			g.setLineDash([3, 3]); g.strokeStyle = '#8a1c00'; g.lineWidth = 1.2;
			g.beginPath(); g.moveTo(L, y(l.v)); g.lineTo(W - R, y(l.v)); g.stroke();
			g.setLineDash([]); g.fillStyle = '#8a1c00';
			g.fillText(l.name + ' ' + this.fmt(l.v), L + 4 + j * 140, y(l.v) - 3);
		});
		g.setLineDash([]); g.lineWidth = 1; g.fillStyle = '#111';
	}
	tip(e) {
		const b = this.box, tip = $('tip');
		if (!b) return;
		const r = this.cv.getBoundingClientRect();
		const px = (e.clientX - r.left) * this.cv.width / r.width;
		const t = b.t0 + (px - b.L) / (b.W - b.L - b.R) * (b.t1 - b.t0);
		const lines = [];
		let at = null;
		for (const s of this.series) {
			let best = null;
			for (const p of s.pts) if (!best || Math.abs(p[0] - t) < Math.abs(best[0] - t)) best = p;
			if (best) { at = at || best[0]; lines.push(s.name + ': ' + this.fmt(best[1])); }
		}
		for (const l of this.lines) lines.push(l.name + ': ' + this.fmt(l.v));
		if (at == null) return;
		tip.textContent = hms(at) + '\n' + lines.join('\n');
		tip.hidden = false;
		tip.style.left = (e.clientX + 12) + 'px'; tip.style.top = (e.clientY + 12) + 'px';
	}
}

// per-second rates between neighbouring samples; f(sample) -> number
function rates(s, f, scale) {
	const out = [];
	for (let i = 1; i < s.length; i++) {
		const dt = (s[i].timestamp_ns - s[i - 1].timestamp_ns) / 1e9;
		if (!(dt > 0)) continue;
		const a = f(s[i - 1]), b = f(s[i]);
		if (a == null || b == null || b < a) continue;
		out.push([s[i].timestamp_ns / 1e6, (b - a) / dt * (scale || 1)]);
	}
	return out;
}
const gauge = (s, f) => s.filter(x => f(x) != null).map(x => [x.timestamp_ns / 1e6, f(x)]);

// ---- one container's page --------------------------------------------
function limits(spec, machine) {
	const cpu = spec.cpu || {}, mem = spec.memory || {};
	const quota = cpu.quota && cpu.period ? cpu.quota / cpu.period : null;
	return {
		cpuCores: quota || (machine && machine.num_cores) || null,
		quota, shares: cpu.limit, period: cpu.period, cpuset: cpu.mask,
		mem: mem.limit && mem.limit < UNLIMITED ? mem.limit : null,
		memHost: machine && machine.memory_capacity,
		swap: mem.swap_limit && mem.swap_limit < UNLIMITED ? mem.swap_limit : null,
		pids: spec.processes && spec.processes.limit && spec.processes.limit < UNLIMITED ? spec.processes.limit : null,
	};
}

function gaugeEl(label, v, max, fmt, what) {
	const p = max ? Math.min(100, 100 * v / max) : 0;
	const fill = el('div', { className: 'fill' + (p >= 90 ? ' hi' : '') });
	fill.style.width = p + '%';
	return el('div', { className: 'gauge', role: 'meter', ariaLabel: label,
		ariaValueNow: String(v), ariaValueMax: String(max || 0) },
	el('div', { className: 'txt', textContent: label + ': ' + fmt(v) + (max ? ' of ' + fmt(max) +
		' ' + what + ' (' + p.toFixed(0) + ' %' + (p >= 90 ? ', near the limit' : '') + ')' : ' (no limit)') }),
	el('div', { className: 'bar' }, fill));
}

function kv(pairs) {
	const dl = el('dl', { className: 'kv' });
	for (const [k, v] of pairs) if (v != null && v !== '') dl.append(el('dt', { textContent: k }), el('dd', {}, v));
	return dl;
}

function table(cols, rows, opts) {
	// cols: [{name, key(row) -> sortable, show(row) -> node/text, num}]
	const o = opts || {};
	// a person's choice of column outlives the table's redraws
	const kept = o.cls && st.sorts[o.cls];
	let sortBy = kept ? kept[0] : o.sortBy != null ? o.sortBy : -1, desc = kept ? kept[1] : !!o.desc;
	const tb = el('tbody'), tbl = el('table', { className: o.cls || '' });
	const head = el('tr');
	const fill = () => {
		const r = rows.slice();
		if (sortBy >= 0) {
			const k = cols[sortBy].key;
			r.sort((a, b) => { const x = k(a), y = k(b); return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1); });
		}
		const frag = document.createDocumentFragment();
		for (const row of r.slice(0, o.max || r.length)) {
			const tr = el('tr');
			for (const c of cols) {
				const v = c.show ? c.show(row) : c.key(row);
				tr.append(el('td', c.num ? { className: 'num' } : {}, v instanceof Node ? v : String(v)));
			}
			frag.append(tr);
		}
		tb.replaceChildren(frag);
		head.querySelectorAll('th').forEach((th, i) => th.setAttribute('aria-sort',
			i === sortBy ? (desc ? 'descending' : 'ascending') : 'none'));
	};
	cols.forEach((c, i) => {
		const b = el('button', { textContent: c.name, title: 'sort by ' + c.name });
		b.onclick = () => {
			desc = sortBy === i ? !desc : !!c.num; sortBy = i;
			if (o.cls) st.sorts[o.cls] = [sortBy, desc];
			fill();
		};
		head.append(el('th', c.num ? { className: 'num', scope: 'col' } : { scope: 'col' }, b));
	});
	tbl.append(el('thead', {}, head), tb);
	fill();
	return tbl;
}

const clink = (n, text) => el('a', { href: cpath(n), textContent: text || n, title: n });

async function showContainer(name) {
	st.cur = name;
	markSel();
	$('title').textContent = name;
	const view = $('view');
	view.replaceChildren(el('p', { className: 'note', textContent: 'loading…' }));
	let specs, machine;
	try {
		[specs, machine] = await Promise.all([getJSON(API + '/spec' + (name === '/' ? '/' : enc(name))),
			getJSON(API + '/machine').catch(() => null), st.listReady]);
	} catch (e) {
		view.replaceChildren(el('p', { textContent: 'This container cannot be shown: ' + e.message }));
		return;
	}
	if (st.cur !== name) return;
	const spec = Object.values(specs)[0] || {};
	const i = ident({ spec });
	const lim = limits(spec, machine);
	st.lim = lim;
	const idn = el('section', { id: 'identity' }, el('h3', { textContent: 'Identity' }), kv([
		['Name', i.name || shortName(name)],
		['cgroup', name],
		['Aliases', (spec.aliases || []).join(', ')],
		['Runtime', i.runtime],
		['Runtime id', i.id],
		['Image', i.image],
		['Pod', i.pod ? el('a', { href: '/pods/' + encodeURIComponent(i.podns) + '/' + encodeURIComponent(i.pod),
			textContent: i.podns + '/' + i.pod }) : ''],
		['Created', spec.creation_time],
		['Labels', Object.keys(i.labels).length ? el('span', {}, ...Object.entries(i.labels).map(([k, v]) =>
			el('span', { className: 'lbl', textContent: k + '=' + v }))) : ''],
	]));
	const iso = el('section', { id: 'isolation' }, el('h3', { textContent: 'Isolation' }), kv([
		['CPU shares', lim.shares != null ? String(lim.shares) : ''],
		['CPU quota', lim.quota ? cores(lim.quota) + ' (' + spec.cpu.quota + ' µs per ' + spec.cpu.period + ' µs)' : 'none'],
		['CPU set', lim.cpuset || ''],
		['Memory limit', lim.mem ? bytes(lim.mem) : 'none'],
		['Swap limit', lim.swap ? bytes(lim.swap) : 'none'],
		['Pids limit', lim.pids ? String(lim.pids) : 'none'],
	]));
	// the nearest ancestor that is a container itself
	let parent = name === '/' ? null : (name.slice(0, name.lastIndexOf('/')) || '/');
	while (parent && parent !== '/' && !st.byName.has(parent)) parent = parent.slice(0, parent.lastIndexOf('/')) || '/';
	if (parent && !st.byName.has(parent)) parent = null;
	const nav = el('p', {}, parent ? el('span', {}, 'Parent: ', clink(parent)) : null);
	st.gauges = el('section', { id: 'usage' }, el('h3', { textContent: 'Usage against limits' }));
	st.charts = {
		cpu: new Chart('c0', 'CPU usage (cores): total, user, system', cores),
		mem: new Chart('c1', 'Memory (bytes): usage, working set, cache, limit', bytes),
		io: new Chart('c2', 'Disk io per device (bytes/s)', rate),
		net: new Chart('c3', 'Network per interface (bytes/s)', rate),
		percore: new Chart('c4', 'CPU per core (cores)', cores),
		thr: new Chart('c5', 'CPU throttling (periods throttled, %)', pct),
		neterr: new Chart('c6', 'Network errors and drops (/s)', perSec),
		psi: new Chart('c7', 'Pressure (some, avg10, %)', pct),
	};
	st.chartBox = el('div', { className: 'charts' }, ...Object.values(st.charts).map(ch => ch.fig));
	st.netNote = el('p', { className: 'note' });
	st.summaryBox = el('div');
	const ps = el('section', { id: 'processes' }, el('h3', { textContent: 'Processes' }), el('p', { className: 'note', textContent: 'loading…' }));
	const subs = el('section', { id: 'subcontainers' }, el('h3', { textContent: 'Subcontainers' }));
	view.replaceChildren(nav, el('div', { className: 'cards' }, idn, iso), st.gauges,
		el('section', { id: 'charts' }, el('h3', { textContent: 'Usage over time' }), st.summaryBox, st.chartBox, st.netNote),
		ps, subs);
	st.series = [];
	await loadSeries(name);
	drawSubs(name, subs);
	drawPs(name, ps);
}

async function loadSeries(name) {
	if (st.range !== 'live') {	// per-minute records: anew each half minute
		st.chartBox.hidden = true;
		if (Date.now() - (st.summaryAt || 0) < 30000) return;
		st.summaryAt = Date.now();
		return drawSummary(name);
	}
	st.chartBox.hidden = false; st.summaryBox.replaceChildren();
	const last = st.series.length ? st.series[st.series.length - 1].timestamp_ns : 0;
	const n = last ? 4 : -1;
	let d;
	try { d = await getJSON(API + '/stats' + (name === '/' ? '/' : enc(name)) + '?count=' + n); }
	catch (e) { return; }
	if (st.cur !== name) return;
	const t0 = performance.now();
	const s = Object.values(d)[0] || [];
	if (!last) st.window = Math.max(s.length, 2);
	for (const x of s) if (x.timestamp_ns > last) st.series.push(x);
	if (st.series.length > st.window) st.series.splice(0, st.series.length - st.window);
	drawLive();
	// script time of a tick's update (the first draw is the page's own)
	const ms = performance.now() - t0;
	if (!last) { document.body.dataset.firstDrawMs = ms.toFixed(2); return; }
	st.lastUpdateMs.push(ms);
	if (st.lastUpdateMs.length > 20) st.lastUpdateMs.shift();
	document.body.dataset.updateMs = Math.max(...st.lastUpdateMs).toFixed(2);
	document.body.dataset.updates = st.lastUpdateMs.length;
}

function drawLive() {
	const s = st.series, ch = st.charts, lim = st.lim;
	if (!s.length) return;
	const cpu = x => x.cpu && x.cpu.usage;
	ch.cpu.set([
		{ name: 'total', pts: rates(s, x => cpu(x) && cpu(x).total, 1e-9) },
		{ name: 'user', pts: rates(s, x => cpu(x) && cpu(x).user, 1e-9) },
		{ name: 'system', pts: rates(s, x => cpu(x) && cpu(x).system, 1e-9) },
	], lim.quota ? [{ name: 'quota', v: lim.quota }] : []);
	const nc = Math.max(0, ...s.map(x => (cpu(x) && cpu(x).per_cpu_usage || []).length));
	const pc = [];
	for (let k = 0; k < nc && k < 16; k++) pc.push({ name: 'cpu' + k, pts: rates(s, x => cpu(x) && (cpu(x).per_cpu_usage || [])[k], 1e-9) });
	ch.percore.set(pc);
	ch.thr.set([{ name: 'throttled periods', pts: rates(s, x => x.cpu && x.cpu.cfs && x.cpu.cfs.throttled_periods)
		.map((p, i) => { const per = rates(s, x => x.cpu && x.cpu.cfs && x.cpu.cfs.periods)[i]; return [p[0], per && per[1] > 0 ? 100 * p[1] / per[1] : 0]; }) }]);
	const m = x => x.memory || {};
	ch.mem.set([
		{ name: 'usage', pts: gauge(s, x => m(x).usage) },
		{ name: 'working set', pts: gauge(s, x => m(x).working_set) },
		{ name: 'cache', pts: gauge(s, x => m(x).cache) },
	], lim.mem ? [{ name: 'limit', v: lim.mem }] : []);
	const devs = new Map();
	for (const x of s) for (const d of (x.diskio && x.diskio.devices) || []) devs.set(d.major + ':' + d.minor, d.read_bytes + d.write_bytes);
	const io = [];
	for (const dv of [...devs.entries()].sort((a, b) => b[1] - a[1]).map(e => e[0]).slice(0, 3)) {
		const pick = f => x => { const d = ((x.diskio && x.diskio.devices) || []).find(y => y.major + ':' + y.minor === dv); return d && d[f]; };
		io.push({ name: dv + ' read', pts: rates(s, pick('read_bytes')) }, { name: dv + ' write', pts: rates(s, pick('write_bytes')) });
	}
	ch.io.set(io);
	// the busiest three interfaces (by bytes in the newest sample)
	const ifs = new Map();
	for (const x of s) for (const f of (x.network && x.network.interfaces) || []) ifs.set(f.name, f.rx_bytes + f.tx_bytes);
	const busiest = mp => [...mp.entries()].sort((a, b) => b[1] - a[1]).map(e => e[0]);
	const net = [], err = [];
	for (const nm of busiest(ifs).slice(0, 2)) {
		const pick = f => x => { const y = ((x.network && x.network.interfaces) || []).find(z => z.name === nm); return y && y[f]; };
		net.push({ name: nm + ' rx', pts: rates(s, pick('rx_bytes')) }, { name: nm + ' tx', pts: rates(s, pick('tx_bytes')) });
		err.push({ name: nm + ' errors', pts: rates(s, x => (pick('rx_errors')(x) || 0) + (pick('tx_errors')(x) || 0)) },
			{ name: nm + ' drops', pts: rates(s, x => (pick('rx_dropped')(x) || 0) + (pick('tx_dropped')(x) || 0)) });
	}
	ch.net.set(net); ch.neterr.set(err);
	st.netNote.textContent = ifs.size ? '' : 'No network counters for this container: it shares the host\'s network namespace (the root container shows the host\'s interfaces) or has no process.';
	const psi = (x, k) => x[k] && x[k].psi && x[k].psi.some;
	const hasPsi = s.some(x => ['cpu', 'memory', 'diskio'].some(k => psi(x, k) && psi(x, k).total > 0));
	ch.psi.fig.hidden = !hasPsi;
	if (hasPsi) ch.psi.set(['cpu', 'memory', 'diskio'].map(k => ({ name: k === 'diskio' ? 'io' : k, pts: gauge(s, x => psi(x, k) && psi(x, k).avg10) })));
	// gauges: the newest figures against the limits
	const last = s[s.length - 1], cr = ch.cpu.series[0].pts, now = cr.length ? cr[cr.length - 1][1] : 0;
	st.gauges.replaceChildren(st.gauges.firstChild,
		gaugeEl('CPU', now, lim.cpuCores, cores, lim.quota ? 'quota' : 'of the machine'),
		gaugeEl('Memory', m(last).usage, lim.mem || lim.memHost, bytes, lim.mem ? 'limit' : 'machine memory'),
		gaugeEl('Working set', m(last).working_set, lim.mem || lim.memHost, bytes, lim.mem ? 'limit' : 'machine memory'),
		last.processes ? gaugeEl('Processes', last.processes.process_count || 0, lim.pids, v => num(v, 0), 'pids limit') : null,
		// a container's writable layer (identd's measure), the root's filesystems
		...(Array.isArray(last.filesystem) ? last.filesystem : []).slice(0, 8).map(f =>
			gaugeEl('Filesystem ' + (f.device || '?'), f.usage, f.capacity, bytes, 'capacity')));
}

async function drawSummary(name) {
	const box = st.summaryBox;
	let d;
	try { d = await getJSON(API + '/summary' + (name === '/' ? '/' : enc(name)) + '?minutes=true'); }
	catch (e) { box.replaceChildren(el('p', { textContent: 'No summary: ' + e.message })); return; }
	const all = Object.values(d)[0] || {};
	const u = all[st.range + '_usage'];
	if (!u) { box.replaceChildren(el('p', { textContent: 'No summary for this container.' })); return; }
	const row = (what, p, fmt) => [what, p.present ? fmt(p.mean) : '–', p.present ? fmt(p.fifty) : '–',
		p.present ? fmt(p.ninety) : '–', p.present ? fmt(p.ninetyfive) : '–', p.present ? fmt(p.max) : '–'];
	const rows = [row('CPU', u.cpu, v => cores(v / 1000)), row('Memory (working set)', u.memory, bytes)];
	// the range's minutes (cadv's ?minutes=true), charted: mean, 95th
	// percentile and max of each minute
	const since = Date.now() - (st.range === 'hour' ? 3600e3 : 86400e3);
	const mins = (all.minutes || []).filter(m => m.start_ns / 1e6 >= since);
	const line = (k, f, scale) => mins.filter(m => m[k].present).map(m => [m.start_ns / 1e6 + 30e3, m[k][f] * scale]);
	const cc = new Chart('h0', 'CPU per minute (cores): mean, 95th percentile, max', cores);
	const mc = new Chart('h1', 'Working set per minute (bytes): mean, 95th percentile, max', bytes);
	cc.set(['mean', 'ninetyfive', 'max'].map(f => ({ name: f === 'ninetyfive' ? '95th' : f, pts: line('cpu', f, 1e-3) })),
		st.lim && st.lim.quota ? [{ name: 'quota', v: st.lim.quota }] : []);
	mc.set(['mean', 'ninetyfive', 'max'].map(f => ({ name: f === 'ninetyfive' ? '95th' : f, pts: line('memory', f, 1) })),
		st.lim && st.lim.mem ? [{ name: 'limit', v: st.lim.mem }] : []);
	box.replaceChildren(el('p', {}, 'The last ' + st.range + ' from collectord\'s per-minute records (' +
		u.percent_complete + ' % of the ' + st.range + ' recorded, ' + mins.length + ' minutes):'),
	table(['', 'mean', '50th', '90th', '95th', 'max'].map((n, k) => ({ name: n, key: r => r[k], num: k > 0 })), rows, { cls: 'summary' }),
	el('div', { className: 'charts' }, cc.fig, mc.fig));
}

async function drawPs(name, box) {
	let l;
	try { l = await getJSON(API + '/ps' + (name === '/' ? '/' : enc(name))); }
	catch (e) { box.replaceChildren(box.firstChild, el('p', { textContent: 'No process list: ' + e.message })); return; }
	const cols = [
		{ name: 'user', key: p => p.user }, { name: 'pid', key: p => p.pid, num: 1 },
		{ name: 'ppid', key: p => p.parent_pid, num: 1 }, { name: 'cpu %', key: p => p.percent_cpu, num: 1 },
		{ name: 'mem %', key: p => p.percent_mem, num: 1 },
		{ name: 'rss', key: p => p.rss, show: p => bytes(p.rss), num: 1 },
		{ name: 'virtual', key: p => p.virtual_size, show: p => bytes(p.virtual_size), num: 1 },
		{ name: 'status', key: p => p.status }, { name: 'started', key: p => p.start_time },
		{ name: 'cpu time', key: p => p.running_time }, { name: 'command', key: p => p.cmd },
	];
	box.replaceChildren(box.firstChild, el('p', {}, l.length + ' processes' + (l.length > 200 ? ', the 200 busiest shown' : '')),
		table(cols, l, { sortBy: 3, desc: true, max: 200, cls: 'ps' }));
}

// the newest cpu rate (cores) and working set of the container and its
// descendants: the summary's latest_usage (with 1,000 containers 0.7 MB,
// where two samples each from stats are 11 MB)
async function busy(name, recursive) {
	const d = await getJSON(API + '/summary' + (name === '/' ? '/' : enc(name)) + (recursive ? '?recursive=true' : ''));
	const out = new Map();
	for (const [n, s] of Object.entries(d)) {
		const u = (s && s.latest_usage) || {};
		out.set(n, { cpu: (u.cpu || 0) / 1000, mem: u.memory || 0 });
	}
	return out;
}

function containerRows(names, figures) {
	return names.map(n => { const i = ident(st.byName.get(n)), f = figures.get(n) || {};
		return { n, name: i.name || shortName(n), image: i.image, pod: i.pod ? i.podns + '/' + i.pod : '',
			cpu: f.cpu || 0, mem: f.mem || 0 }; });
}
const containerCols = (fig) => [
	{ name: 'name', key: r => r.name, show: r => clink(r.n, r.name) },
	{ name: 'image', key: r => r.image }, { name: 'pod', key: r => r.pod },
	{ name: 'cpu', key: r => r.cpu, show: r => fig ? el('span', {}, cores(r.cpu) + ' ', bar(r.cpu, fig.cpu)) : cores(r.cpu), num: 1 },
	{ name: 'working set', key: r => r.mem, show: r => fig ? el('span', {}, bytes(r.mem) + ' ', bar(r.mem, fig.mem)) : bytes(r.mem), num: 1 },
];
// a small bar figure beside a number (the number says it: not colour alone)
function bar(v, max) {
	const c = el('canvas', { width: 60, height: 10, className: 'spark', ariaHidden: 'true' });
	const g = c.getContext('2d');
	g.strokeStyle = '#111'; g.strokeRect(0.5, 0.5, 59, 9);
	g.fillStyle = '#2b6cb0'; g.fillRect(1, 1, max > 0 ? 58 * Math.min(1, v / max) : 0, 8);
	return c;
}

async function drawSubs(name, box) {
	const kids = st.kids.get(name) || [];
	if (!kids.length) { box.append(el('p', { className: 'note', textContent: 'none' })); return; }
	let f = new Map();
	try { f = await busy(name, true); } catch (e) { /* figures left empty */ }
	const rows = containerRows(kids, f);
	const mx = { cpu: Math.max(...rows.map(r => r.cpu)), mem: Math.max(...rows.map(r => r.mem)) };
	box.append(el('p', {}, kids.length + ' direct subcontainers'), table(containerCols(mx), rows, { sortBy: 3, desc: true, max: 500 }));
}

// ---- the overview ----------------------------------------------------------
async function showOverview() {
	st.cur = null;
	markSel();
	$('title').textContent = 'Machine overview';
	const view = $('view');
	const [machine, storage, figs, events] = await Promise.all([
		getJSON(API + '/machine').catch(() => null),
		getJSON(API + '/storage').catch(() => []),
		busy('/', true).catch(() => new Map()),
		getJSON(API + '/events/?all_events=true&subcontainers=true&max_events=30').catch(() => []),
		st.listReady,
	]);
	if (st.cur !== null) return;
	const root = figs.get('/') || {};
	const m = machine || {};
	const sec = [];
	sec.push(el('section', { id: 'machine' }, el('h3', { textContent: 'Machine' }), el('div', { className: 'cards' },
		el('div', { className: 'card' }, 'Cores', el('b', { textContent: (m.num_cores || '–') + '' }), m.cpu_model || ''),
		el('div', { className: 'card' }, 'Memory', el('b', { textContent: bytes(m.memory_capacity) }), 'swap ' + bytes(m.swap_capacity || 0)),
		el('div', { className: 'card' }, 'CPU in use', el('b', { textContent: cores(root.cpu || 0) }), 'of ' + (m.num_cores || '?') + ' cores'),
		el('div', { className: 'card' }, 'Working set', el('b', { textContent: bytes(root.mem) }), 'of ' + bytes(m.memory_capacity)),
		el('div', { className: 'card' }, 'Containers', el('b', { textContent: String(st.list.length) }), clink('/', 'root container page')))));
	sec.push(el('section', { id: 'filesystems' }, el('h3', { textContent: 'Filesystems' }),
		...(storage.length ? storage.map(f => gaugeEl(f.mountpoint + ' (' + f.device + ')', f.usage, f.capacity, bytes, 'capacity'))
			: [el('p', { className: 'note', textContent: 'no filesystem usage recorded' })])));
	const names = st.list.map(c => c.name).filter(n => n !== '/');
	const rows = containerRows(names, figs);
	const mx = { cpu: Math.max(0, ...rows.map(r => r.cpu)), mem: Math.max(0, ...rows.map(r => r.mem)) };
	sec.push(el('section', { id: 'busiest' }, el('h3', { textContent: 'Busiest containers' }),
		el('p', {}, 'By CPU (the 20 busiest of ' + rows.length + '; a column heading sorts):'), table(containerCols(mx), rows, { sortBy: 3, desc: true, max: 20, cls: 'busy-cpu' }),
		el('p', {}, 'By memory (working set):'), table(containerCols(mx), rows, { sortBy: 4, desc: true, max: 20, cls: 'busy-mem' })));
	const ev = events.slice().reverse();
	const ooms = ev.filter(e => /^oom/.test(e.event_type));
	const evCols = [{ name: 'time (UTC)', key: e => e.timestamp, show: e => String(e.timestamp).replace('T', ' ').replace(/\.\d+Z$/, '') }, { name: 'event', key: e => e.event_type },
		{ name: 'container', key: e => e.container_name, show: e => st.byName.has(e.container_name) ? clink(e.container_name) : e.container_name },
		{ name: 'name / image', key: e => { const c = e.event_data && e.event_data.container; return c ? (c.name || '') + ' ' + (c.image || '') : ''; } }];
	sec.push(el('section', { id: 'ooms' }, el('h3', { textContent: 'Recent OOM kills' }),
		ooms.length ? table(evCols, ooms) : el('p', { className: 'note', textContent: 'none recorded' })));
	sec.push(el('section', { id: 'events' }, el('h3', { textContent: 'Recent lifecycle events' }),
		table(evCols, ev.filter(e => !/^oom/.test(e.event_type)).slice(0, 20))));
	view.replaceChildren(...sec);
}

// ---- pods and runtime names ----------------------------------------------
async function showPod(ns, pod) {
	st.cur = null; markSel();
	await st.listReady;
	$('title').textContent = 'Pod ' + ns + '/' + pod;
	const names = st.list.filter(c => { const i = ident(c); return i.pod === pod && i.podns === ns; }).map(c => c.name);
	const view = $('view');
	if (!names.length) { view.replaceChildren(el('p', { textContent: 'No live container of this pod.' })); return; }
	// the pod's own cgroup: its containers' nearest common ancestor
	let up = names[0];
	while (up !== '/' && !names.every(n => n === up || n.startsWith(up + '/'))) up = up.slice(0, up.lastIndexOf('/')) || '/';
	if (names.length < 2 || up === '/' || !st.byName.has(up)) up = null;
	const draw = f => view.replaceChildren(el('section', { id: 'pod' }, el('h3', { textContent: 'Containers of the pod' }),
		up ? el('p', {}, 'The pod\'s cgroup: ', clink(up)) : null,
		table(containerCols(null), containerRows(names, f), { sortBy: 0, cls: 'pod' })));
	draw(new Map());
	busy('/', true).then(draw).catch(() => {});
}

// cAdvisor's /docker/: every container a runtime names (docker, podman,
// containerd, CRI-O), as one sortable list
async function showRuntimeList() {
	st.cur = null; markSel();
	await st.listReady;
	$('title').textContent = 'Containers of the runtimes';
	const names = st.list.filter(c => c.spec && c.spec.aliases && c.spec.aliases.length).map(c => c.name);
	const view = $('view');
	if (!names.length) { view.replaceChildren(el('p', { textContent: 'No container a runtime names (is identd running?).' })); return; }
	const draw = f => view.replaceChildren(el('section', { id: 'runtime' }, el('h3', { textContent: 'Containers by name' }),
		table(containerCols(null), containerRows(names, f), { sortBy: 0, cls: 'runtime' })));
	draw(new Map());
	busy('/', true).then(draw).catch(() => {});
}

async function showRuntime(name) {
	for (const type of ['docker', 'podman']) {
		try {
			const d = await getJSON(API + '/spec/' + encodeURIComponent(name) + '?type=' + type);
			const n = Object.keys(d)[0];
			if (n) return showContainer(n);
		} catch (e) { /* the next runtime */ }
	}
	st.cur = null;
	$('title').textContent = name;
	$('view').replaceChildren(el('p', { textContent: 'No running docker or podman container has this name or id.' }));
}

// ---- routing -----------------------------------------------------------------
async function route() {
	const p = decodeURIComponent(location.pathname);
	clearInterval(st.timer);
	$('tip').hidden = true;
	let m;
	if (p === '/' || p === '') await showOverview();
	else if ((m = /^\/containers(\/.*)?$/.exec(p))) await showContainer((m[1] || '/').replace(/(.)\/$/, '$1'));
	else if (p === '/docker' || p === '/docker/') await showRuntimeList();
	else if ((m = /^\/docker\/(.+)$/.exec(p))) await showRuntime(m[1]);
	else if ((m = /^\/pods\/([^/]+)\/([^/]+)/.exec(p))) await showPod(m[1], m[2]);
	else { $('title').textContent = 'Not found'; $('view').replaceChildren(); }
	if (st.cur != null) st.timer = setInterval(() => loadSeries(st.cur), TICK_MS);
	// the overview anew every 5 s, unless a person is at work in it
	else if (p === '/') st.timer = setInterval(() => {
		if (!document.hidden && !$('view').contains(document.activeElement)) showOverview();
	}, 5 * TICK_MS);
	document.body.dataset.ready = '1';
}

function go(href) {
	history.pushState(null, '', href);
	route();
	$('main').focus({ preventScroll: true });
}

document.addEventListener('click', e => {
	const a = e.target.closest('a');
	if (a && a.origin === location.origin && !a.classList.contains('skip') && !e.ctrlKey && !e.metaKey && !e.shiftKey &&
	    /^\/(containers|docker|pods)?(\/|$)/.test(a.pathname)) {
		e.preventDefault();
		go(a.pathname);
		return;
	}
	const b = e.target.closest('button.tg');
	if (b && b.dataset.for) {
		const n = b.dataset.for;
		if (st.collapsed.has(n)) st.collapsed.delete(n); else st.collapsed.add(n);
		b.textContent = st.collapsed.has(n) ? '▸' : '▾';
		b.setAttribute('aria-expanded', String(!st.collapsed.has(n)));
		applySearch();
	}
});
window.addEventListener('popstate', route);
$('search').addEventListener('input', applySearch);
$('range').addEventListener('change', e => {
	st.range = e.target.value;
	if (st.cur != null) { st.series = []; st.summaryAt = 0; loadSeries(st.cur); }
});

(async () => {
	// the list and the view's own answers are fetched at once: a view
	// waits for the list only where it needs names (listReady)
	st.listReady = loadList().catch(e => { $('treeinfo').textContent = 'no container list: ' + e.message; });
	await route();
	await st.listReady;
	// since the navigation began: the tree and the view are in the DOM,
	// painted at the next frame
	requestAnimationFrame(() => { document.body.dataset.firstPaintMs = performance.now().toFixed(1); });
	setInterval(() => loadList().catch(() => {}), TREE_MS);
})();
