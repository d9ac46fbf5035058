// The trainer's page. Everything it shows comes from the server, which steps the model;
// the page only lays it out, in Indonesian or English.
'use strict';

const TEXT = {
  id: {
    subtitle: 'mode pelatih · simulasi program KUBE',
    levers: 'Tuas kebijakan', levers_hint: 'Perubahan berlaku saat Siapkan ditekan; pembanding tetap memakai skenario asli dengan seed yang sama.',
    seed: 'Seed', setup: 'Siapkan', step: 'Langkah', run: 'Jalankan', pause: 'Jeda', speed: 'Kecepatan',
    per_second: 'bln/dtk', map: 'Desa-desa di kecamatan', district: 'Kecamatan',
    chart_active: 'Kelompok aktif', chart_income: 'Pendapatan anggota (Rp/bulan)', chart_poverty: 'Anggota di bawah garis kemiskinan',
    events: 'Kejadian', month: 'Bulan', months_of: 'dari', active: 'Kelompok aktif', failed: 'Kelompok berhenti',
    mentors: 'Pendamping', cost: 'Biaya program', scenario: 'Skenario', pending: 'Tuas berubah: tekan Siapkan untuk memulai ulang dengan tuas ini.',
    ready: 'Siap di bulan 0.', finished: 'Simulasi selesai.', key_run: 'dengan tuas', key_base: 'skenario asli (pembanding)', key_cf: 'tanpa program',
    leg_none: 'rumah tangga DTKS', leg_preparing: 'persiapan', leg_active: 'aktif', leg_risk: 'berisiko', leg_left: 'keluar',
    leg_mentor: 'pendamping berkunjung', office: 'Dinas Sosial', all: 'semua anggota', officers: 'pengurus saja',
    no_events: 'Belum ada kejadian. Tekan Langkah atau Jalankan.',
    levers_names: {
      'socialization.sessions': 'Sesi sosialisasi', 'socialization.refresher_interval': 'Penyegaran tiap (bulan, 0: tidak ada)',
      'training.hours': 'Jam pelatihan', 'training.who': 'Peserta pelatihan', 'monitoring.interval': 'Monitoring tiap (bulan)',
      'mentors.groups_per_mentor': 'Kelompok per pendamping', 'mentors.visits_per_month': 'Kunjungan pendamping per bulan',
      'program.grant_per_member': 'Dana UEP per anggota (Rp)', 'labels.per_year': 'Label produk per tahun',
      'permits.per_year': 'Izin P-IRT per tahun'},
    causes: {grant_split: 'dana dibagi', business_losses: 'usaha merugi', member_withdrawal: 'anggota mundur',
             conflict: 'konflik', catastrophe: 'bencana'},
    business: {livestock: 'ternak', food: 'makanan', trade: 'dagang', services: 'jasa', crafts: 'kerajinan'},
    ev: {
      formed: (e, g) => `terbentuk dengan ${e.value} anggota, usaha ${TEXT.id.business[g.business]}; didampingi pendamping ${e.value2 + 1}`,
      funded: e => `menerima dana UEP ${rp(e.value)}`,
      failed_grant_split: e => e.value < 0.5
        ? 'membagi-bagikan dana hibahnya; anggota memandang uang itu sebagai bantuan cuma-cuma'
        : 'membagi-bagikan dananya karena anggota sedang butuh uang tunai',
      failed_business_losses: () => 'berhenti: kerugian usaha menghabiskan modalnya',
      failed_member_withdrawal: () => 'berhenti: terlalu sedikit anggota yang masih bertahan dan bekerja',
      failed_conflict: () => 'bubar karena konflik antaranggota',
      failed_catastrophe: () => 'kehilangan usahanya karena bencana',
      visit_at_risk: e => `pendamping ${e.value + 1} datang menindaklanjuti tanda berisiko dari bulan ${e.value2 + 1}`,
      flagged: e => `pendamping ${e.value + 1} menandainya berisiko (kekompakan ${e.value2.toFixed(2)})`,
      capture_found: e => `anggota mendapati ketua menyelewengkan modal (${rp(e.value)} sejauh ini)`,
      need: () => 'membutuhkan bantuan: peralatan, tempat usaha atau pemasaran',
      forwarded: e => `pendamping ${e.value + 1} meneruskan usulannya ke Dinas Sosial provinsi`,
      approved: e => `usulannya dijawab setelah ${e.value2} bulan: bantuan peralatan ${rp(e.value)}`,
      declined: e => `usulannya ditolak provinsi setelah ${e.value2} bulan`,
      label: () => 'mendapat label produk dari Disperindag',
      permit: () => 'mendapat izin P-IRT dari Dinas Kesehatan',
      left: e => `${e.value} anggota keluar; tersisa ${e.value2}`,
    },
  },
  en: {
    subtitle: 'trainer mode · KUBE program simulation',
    levers: 'Policy levers', levers_hint: 'Changes take effect when you press Set up; the comparison keeps the original scenario with the same seed.',
    seed: 'Seed', setup: 'Set up', step: 'Step', run: 'Run', pause: 'Pause', speed: 'Speed',
    per_second: 'months/s', map: 'Villages of the sub-district', district: 'Sub-district',
    chart_active: 'Active groups', chart_income: 'Member income (Rp/month)', chart_poverty: 'Members below the poverty line',
    events: 'Events', month: 'Month', months_of: 'of', active: 'Active groups', failed: 'Groups ended',
    mentors: 'Mentors', cost: 'Program cost', scenario: 'Scenario', pending: 'Levers changed: press Set up to restart with them.',
    ready: 'Ready at month 0.', finished: 'The run is complete.', key_run: 'with your levers', key_base: 'original scenario (comparison)', key_cf: 'without the program',
    leg_none: 'DTKS household', leg_preparing: 'preparing', leg_active: 'active', leg_risk: 'at risk', leg_left: 'left',
    leg_mentor: 'mentor visiting', office: 'Social affairs office', all: 'all members', officers: 'officers only',
    no_events: 'Nothing has happened yet. Press Step or Run.',
    levers_names: {
      'socialization.sessions': 'Socialization sessions', 'socialization.refresher_interval': 'Refresher every (months, 0: none)',
      'training.hours': 'Training hours', 'training.who': 'Who is trained', 'monitoring.interval': 'Monitoring every (months)',
      'mentors.groups_per_mentor': 'Groups per mentor', 'mentors.visits_per_month': 'Mentor visits per month',
      'program.grant_per_member': 'UEP grant per member (Rp)', 'labels.per_year': 'Product labels per year',
      'permits.per_year': 'Food permits (P-IRT) per year'},
    causes: {grant_split: 'grant shared out', business_losses: 'business losses', member_withdrawal: 'members withdrew',
             conflict: 'conflict', catastrophe: 'disaster'},
    business: {livestock: 'livestock', food: 'food', trade: 'trade', services: 'services', crafts: 'crafts'},
    ev: {
      formed: (e, g) => `formed with ${e.value} members, a ${TEXT.en.business[g.business]} business; mentor ${e.value2 + 1}`,
      funded: e => `received its UEP grant of ${rp(e.value)}`,
      failed_grant_split: e => e.value < 0.5
        ? 'shared out its grant; members understood the money as a hand-out'
        : 'shared out its grant; members needed the cash',
      failed_business_losses: () => 'stopped: business losses ate its capital',
      failed_member_withdrawal: () => 'ended: too few members stayed and worked',
      failed_conflict: () => 'broke up in conflict among members',
      failed_catastrophe: () => 'lost its business to a disaster',
      visit_at_risk: e => `mentor ${e.value + 1} followed up the at-risk flag of month ${e.value2 + 1}`,
      flagged: e => `mentor ${e.value + 1} flagged it at risk (cohesion ${e.value2.toFixed(2)})`,
      capture_found: e => `members found the chair had diverted capital (${rp(e.value)} so far)`,
      need: () => 'raised a need: equipment, premises or marketing',
      forwarded: e => `mentor ${e.value + 1} forwarded its request to the provincial office`,
      approved: e => `its request was answered after ${e.value2} months: equipment worth ${rp(e.value)}`,
      declined: e => `its request was turned down by the province after ${e.value2} months`,
      label: () => 'got a product label from the trade office (Disperindag)',
      permit: () => 'got a food permit (P-IRT) from the health office',
      left: e => `${e.value} member(s) left; ${e.value2} remain`,
    },
  },
};

const COLORS = {
  none: '#cfc9bb', preparing: '#e0a526', active: '#2e8b57', left: '#8f8f8f', risk: '#b3261e', mentor: '#2358a8',
  grant_split: '#c62828', business_losses: '#8d5524', member_withdrawal: '#7b1fa2', conflict: '#ef6c00', catastrophe: '#263238',
};
const BAD = new Set(['failed_grant_split', 'failed_business_losses', 'failed_member_withdrawal', 'failed_conflict',
                     'failed_catastrophe', 'capture_found', 'declined', 'left']);
const GOOD = new Set(['formed', 'funded', 'approved', 'label', 'permit']);

const ui = {
  lang: 'id', info: null, map: null, state: null, layout: null, values: {}, running: false, busy: false,
  timer: null, anim: null,
};
const $ = id => document.getElementById(id);
const t = key => TEXT[ui.lang][key];

function rp(x) {
  return 'Rp ' + Math.round(x).toLocaleString(ui.lang === 'id' ? 'id-ID' : 'en-US');
}

// The server takes a state-changing request only as JSON from this page's own origin
// (a cross-site form or "simple" request is refused), so every POST says application/json.
async function api(method, path, body) {
  const opts = {method, headers: {}};
  if (method !== 'GET') {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body === undefined ? {} : body);
  }
  const res = await fetch(path, opts);
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function message(text, ok) {
  const m = $('message');
  m.textContent = text || '';
  m.className = ok ? 'ok' : '';
}

// --- levers -------------------------------------------------------------------------------

function leverValue(l) {
  if (ui.state && l.name in ui.state.levers) return ui.state.levers[l.name];
  return l.scenario;
}

function buildLevers() {
  const box = $('levers');
  box.textContent = '';
  for (const l of ui.info.levers) {
    ui.values[l.name] = leverValue(l);
    const div = document.createElement('div');
    div.className = 'lever';
    div.dataset.name = l.name;
    const head = document.createElement('div');
    head.className = 'name';
    const label = document.createElement('span');
    label.className = 'label';
    const out = document.createElement('output');
    head.append(label, out);
    div.append(head);
    if (l.options) {
      const sw = document.createElement('div');
      sw.className = 'switch';
      for (const opt of l.options) {
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.value = opt;
        b.addEventListener('click', () => { ui.values[l.name] = opt; refreshLevers(); });
        sw.append(b);
      }
      div.append(sw);
    } else {
      const input = document.createElement('input');
      input.type = 'range';
      input.min = l.ui_min;
      input.max = l.ui_max;
      input.step = l.ui_step;
      input.value = ui.values[l.name];
      input.setAttribute('aria-label', l.name);
      input.addEventListener('input', () => {
        ui.values[l.name] = l.kind === 'integer' ? parseInt(input.value, 10) : parseFloat(input.value);
        refreshLevers();
      });
      div.append(input);
    }
    box.append(div);
  }
  refreshLevers();
}

function formatLever(l, v) {
  if (l.options) return t(v) || v;
  if (l.name === 'program.grant_per_member') return rp(v);
  return String(v);
}

function refreshLevers() {
  let pending = false;
  for (const div of $('levers').children) {
    const l = ui.info.levers.find(x => x.name === div.dataset.name);
    const v = ui.values[l.name];
    div.querySelector('.label').textContent = t('levers_names')[l.name] || l.name;
    div.querySelector('output').textContent = formatLever(l, v);
    for (const b of div.querySelectorAll('.switch button')) {
      b.textContent = t(b.dataset.value) || b.dataset.value;
      b.classList.toggle('on', b.dataset.value === v);
    }
    const changed = ui.state && v !== leverValue(l);
    div.classList.toggle('changed', !!changed);
    pending = pending || changed;
  }
  if (pending) message(t('pending'), true);
}

// --- map ----------------------------------------------------------------------------------

// Villages on a grid; households in a sunflower spiral inside each village's circle, so
// the picture stays the same month after month and only colours change.
function layoutMap(canvas) {
  const w = canvas.clientWidth, h = canvas.clientHeight;
  const vs = ui.map.villages;
  const cols = Math.max(1, Math.ceil(Math.sqrt(vs.length * w / h)));
  const rows = Math.ceil(vs.length / cols);
  const cw = w / cols, ch = (h - 24) / rows;
  const r = Math.min(cw, ch) * 0.42;
  const pos = new Map(), villages = [];
  vs.forEach((v, i) => {
    const cx = cw * (i % cols + 0.5), cy = 24 + ch * (Math.floor(i / cols) + 0.5);
    villages.push({name: v.name, cx, cy, r});
    for (let k = 0; k < v.count; ++k) {
      const rad = r * 0.95 * Math.sqrt((k + 0.5) / v.count), ang = k * 2.399963;
      pos.set(v.first + k, [cx + rad * Math.cos(ang), cy + rad * Math.sin(ang)]);
    }
  });
  return {w, h, pos, villages, office: [14, 12]};
}

function groupColor(g) {
  if (g.stage === 'inactive') return COLORS[g.cause] || COLORS.left;
  if (g.at_risk) return COLORS.risk;
  return COLORS[g.stage];
}

function drawMap(progress) {
  const canvas = $('map');
  if (!ui.map || !ui.state) return;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(canvas.clientWidth * dpr) || !ui.layout) {
    canvas.width = Math.round(canvas.clientWidth * dpr);
    canvas.height = Math.round(canvas.clientHeight * dpr);
    ui.layout = layoutMap(canvas);
  }
  const L = ui.layout, ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, L.w, L.h);
  ctx.lineWidth = 0.5;
  ctx.strokeStyle = 'rgba(120,110,90,0.16)';
  ctx.beginPath();
  for (const [a, b] of ui.map.ties) {
    const pa = L.pos.get(a), pb = L.pos.get(b);
    if (!pa || !pb) continue;
    ctx.moveTo(pa[0], pa[1]);
    ctx.lineTo(pb[0], pb[1]);
  }
  ctx.stroke();
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (const v of L.villages) {
    ctx.strokeStyle = '#d8d2c2';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.arc(v.cx, v.cy, v.r, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = '#555';
    ctx.fillText(v.name, v.cx, v.cy - v.r - 3);
  }
  const color = new Map(), hollow = new Set();
  const here = ui.state.groups.filter(g => g.ever);
  for (const g of here) {
    const cur = new Set(g.current);
    for (const h of g.ever) {
      if (g.stage !== 'inactive' && !cur.has(h)) hollow.add(h);
      else color.set(h, groupColor(g));
    }
  }
  for (const [h, p] of L.pos) {
    ctx.beginPath();
    if (hollow.has(h)) {
      ctx.arc(p[0], p[1], 2.4, 0, 2 * Math.PI);
      ctx.strokeStyle = COLORS.left;
      ctx.lineWidth = 1;
      ctx.stroke();
    } else {
      ctx.arc(p[0], p[1], color.has(h) ? 2.8 : 1.8, 0, 2 * Math.PI);
      ctx.fillStyle = color.get(h) || COLORS.none;
      ctx.fill();
    }
  }
  // Each group: lines from a marker at its members' centre to every member.
  const centre = new Map();
  for (const g of here) {
    let x = 0, y = 0;
    for (const h of g.ever) { const p = L.pos.get(h); x += p[0]; y += p[1]; }
    x /= g.ever.length; y /= g.ever.length;
    centre.set(g.id, [x, y]);
    const c = groupColor(g);
    ctx.strokeStyle = c;
    ctx.globalAlpha = g.stage === 'inactive' ? 0.25 : 0.55;
    ctx.lineWidth = 0.8;
    ctx.beginPath();
    for (const h of (g.stage === 'inactive' ? g.ever : g.current)) {
      const p = L.pos.get(h);
      ctx.moveTo(x, y);
      ctx.lineTo(p[0], p[1]);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.beginPath();
    ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.fillStyle = c;
    ctx.fill();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.5;
    ctx.stroke();
    if (g.at_risk) {
      ctx.beginPath();
      ctx.setLineDash([3, 2]);
      ctx.arc(x, y, 9.5, 0, 2 * Math.PI);
      ctx.strokeStyle = COLORS.risk;
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = '#222';
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillText(g.name.replace('KUBE ', '') + (g.need ? ' !' : ''), x, y + 17);
  }
  // Mentors travel from the office through this month's visits in the sub-district.
  ctx.fillStyle = COLORS.mentor;
  ctx.textAlign = 'left';
  ctx.fillText('■ ' + t('office'), L.office[0] - 4, L.office[1] + 4);
  const routes = new Map();
  for (const v of ui.state.visits) {
    const c = centre.get(v.group);
    if (!c) continue;
    if (!routes.has(v.mentor)) routes.set(v.mentor, [L.office]);
    routes.get(v.mentor).push(c);
  }
  for (const [m, route] of routes) {
    ctx.strokeStyle = COLORS.mentor;
    ctx.globalAlpha = 0.5;
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    route.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    const s = Math.min(progress, 0.999) * (route.length - 1), i = Math.floor(s), f = s - i;
    const a = route[i], b = route[Math.min(i + 1, route.length - 1)];
    const x = a[0] + (b[0] - a[0]) * f, y = a[1] + (b[1] - a[1]) * f;
    ctx.save();
    ctx.translate(x, y);
    ctx.rotate(Math.PI / 4);
    ctx.fillStyle = COLORS.mentor;
    ctx.fillRect(-5, -5, 10, 10);
    ctx.restore();
    ctx.fillStyle = '#fff';
    ctx.textAlign = 'center';
    ctx.fillText(String(m + 1), x, y + 3.5);
    ctx.textAlign = 'left';
  }
  ctx.textAlign = 'center';
}

function animateMap(ms) {
  if (ui.anim) cancelAnimationFrame(ui.anim);
  const start = performance.now();
  const frame = now => {
    // A frame's timestamp may precede the call that scheduled it.
    const p = Math.max(0, Math.min(1, (now - start) / ms));
    drawMap(p);
    ui.anim = p < 1 ? requestAnimationFrame(frame) : null;
  };
  ui.anim = requestAnimationFrame(frame);
}

function renderLegend() {
  const items = [['none', t('leg_none')], ['preparing', t('leg_preparing')], ['active', t('leg_active')],
                 ['risk', t('leg_risk')], ['left', t('leg_left')], ['mentor', t('leg_mentor')]];
  for (const c of Object.keys(t('causes'))) items.push([c, t('causes')[c]]);
  const ul = $('legend');
  ul.textContent = '';
  for (const [k, label] of items) {
    const li = document.createElement('li');
    const i = document.createElement('i');
    i.style.background = COLORS[k];
    li.append(i, label);
    ul.append(li);
  }
}

// --- charts -------------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function chart(svg, lines, fmt, fixedMax) {
  const W = 360, H = 160, x0 = 46, y0 = 8, x1 = W - 6, y1 = H - 20;
  const months = ui.state.months;
  let max = 0;
  for (const l of lines) for (const v of l.values) if (v !== null && v > max) max = v;
  max = fixedMax || niceMax(max);
  const X = m => x0 + (x1 - x0) * m / Math.max(1, months - 1);
  const Y = v => y1 - (y1 - y0) * v / max;
  svg.textContent = '';
  for (let k = 0; k <= 4; ++k) {
    const v = max * k / 4;
    svg.append(el('line', {class: 'grid', x1: x0, x2: x1, y1: Y(v), y2: Y(v)}));
    svg.append(el('text', {x: x0 - 4, y: Y(v) + 3, 'text-anchor': 'end'}, fmt(v)));
  }
  for (let m = 0; m < months; m += 12) {
    svg.append(el('text', {x: X(m), y: H - 6, 'text-anchor': 'middle'}, String(m + 1)));
  }
  svg.append(el('line', {class: 'axis', x1: x0, x2: x0, y1: y0, y2: y1}));
  svg.append(el('line', {class: 'axis', x1: x0, x2: x1, y1: y1, y2: y1}));
  for (const l of lines) {
    let d = '', pen = false;
    l.values.forEach((v, m) => {
      if (v === null) { pen = false; return; }
      d += (pen ? 'L' : 'M') + X(m).toFixed(1) + ' ' + Y(v).toFixed(1);
      pen = true;
    });
    if (d) svg.append(el('path', {class: l.cls, d}));
  }
  if (ui.state.month > 0) {
    const x = X(ui.state.month - 1);
    svg.append(el('line', {class: 'now', x1: x, x2: x, y1: y0, y2: y1}));
  }
}

function renderCharts() {
  const r = ui.state.series.run, b = ui.state.series.baseline;
  const count = v => String(Math.round(v));
  const money = v => (v >= 1e6 ? (v / 1e6).toFixed(1) + (ui.lang === 'id' ? ' jt' : 'M') : Math.round(v / 1e3) + 'k');
  const pct = v => Math.round(v * 100) + '%';
  chart($('chart-active'), [{cls: 'baseline', values: b.groups_active}, {cls: 'run', values: r.groups_active}], count);
  chart($('chart-income'), [{cls: 'cf', values: r.income_members_cf}, {cls: 'baseline', values: b.income_members},
                            {cls: 'run', values: r.income_members}], money);
  chart($('chart-poverty'), [{cls: 'cf', values: r.poverty_members_cf}, {cls: 'baseline', values: b.poverty_members},
                             {cls: 'run', values: r.poverty_members}], pct, 1);
  const key = $('chart-key');
  key.textContent = '';
  for (const [color, label] of [['var(--run)', t('key_run')], ['var(--base)', t('key_base')], ['#999', t('key_cf')]]) {
    const li = document.createElement('li');
    const i = document.createElement('i');
    i.style.background = color;
    li.append(i, label);
    key.append(li);
  }
}

// --- feed and figures ---------------------------------------------------------------------

function renderFeed() {
  const feed = $('feed');
  feed.textContent = '';
  const groups = ui.state.groups, villages = ui.info.villages;
  const events = ui.state.events.slice(-300).reverse();
  if (!events.length) {
    const li = document.createElement('li');
    li.textContent = t('no_events');
    feed.append(li);
  }
  for (const e of events) {
    const g = groups[e.group], v = villages[g.village];
    const say = t('ev')[e.kind];
    const li = document.createElement('li');
    li.className = (BAD.has(e.kind) ? 'bad' : GOOD.has(e.kind) ? 'good' : 'care') + (v.district === ui.map.district ? ' here' : '');
    li.dataset.kind = e.kind;
    const b = document.createElement('b');
    b.textContent = `${t('month')} ${e.month + 1}: `;
    li.append(b, `${g.name}, ${v.name}, ${say ? say(e, g) : e.kind}`);
    feed.append(li);
  }
}

function renderFigures() {
  const s = ui.state;
  const active = s.groups.filter(g => g.stage === 'active').length;
  const ended = s.groups.filter(g => g.stage === 'inactive').length;
  const cost = s.series.run.cost_total;
  const rows = [[t('month'), `${s.month} ${t('months_of')} ${s.months}`], [t('active'), active], [t('failed'), ended],
                [t('mentors'), s.mentors], [t('cost'), rp(cost.length ? cost[cost.length - 1] : 0)]];
  const dl = $('kpis');
  dl.textContent = '';
  for (const [k, v] of rows) {
    const dt = document.createElement('dt'), dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = v;
    dl.append(dt, dd);
  }
  $('scenario').textContent = `${t('scenario')}: ${s.scenario} · seed ${s.seed}`;
  $('step').disabled = $('run').disabled = s.month >= s.months;
}

function renderText() {
  document.documentElement.lang = ui.lang;
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  $('run').textContent = ui.running ? t('pause') : t('run');
  $('speed-out').textContent = `${$('speed').value} ${t('per_second')}`;
  $('lang-id').classList.toggle('on', ui.lang === 'id');
  $('lang-en').classList.toggle('on', ui.lang === 'en');
}

function render(animate) {
  renderText();
  refreshLevers();
  renderFigures();
  renderCharts();
  renderFeed();
  renderLegend();
  if (animate) animateMap(Math.min(900, 1000 / Number($('speed').value)));
  else drawMap(1);
}

// --- actions ------------------------------------------------------------------------------

const district = () => $('district').value || '0';

async function loadMap() {
  ui.map = await api('GET', `/api/map?district=${district()}`);
  ui.layout = null;
}

async function setup() {
  stop();
  try {
    ui.state = await api('POST', `/api/setup?district=${district()}`,
                         {levers: {...ui.values}, seed: Number($('seed').value)});
    message(t('ready'), true);
    render(false);
  } catch (err) {
    message(err.message);
  }
}

async function step() {
  if (ui.busy) return false;
  ui.busy = true;
  try {
    ui.state = await api('POST', `/api/step?district=${district()}`, {months: 1});
    message('');
    render(true);
    if (ui.state.month >= ui.state.months) {
      stop();
      message(t('finished'), true);
      return false;
    }
    return true;
  } catch (err) {
    stop();
    message(err.message);
    return false;
  } finally {
    ui.busy = false;
  }
}

function stop() {
  ui.running = false;
  clearTimeout(ui.timer);
  $('run').classList.remove('running');
  $('run').textContent = t('run');
}

function tick() {
  if (!ui.running) return;
  const started = performance.now();
  step().then(more => {
    if (!more || !ui.running) return;
    const wait = Math.max(0, 1000 / Number($('speed').value) - (performance.now() - started));
    ui.timer = setTimeout(tick, wait);
  });
}

function toggleRun() {
  if (ui.running) { stop(); return; }
  ui.running = true;
  $('run').classList.add('running');
  $('run').textContent = t('pause');
  tick();
}

async function start() {
  ui.info = await api('GET', '/api/info');
  const sel = $('district');
  ui.info.districts.forEach((name, i) => sel.append(new Option(name, String(i))));
  $('seed').value = ui.info.seed;
  await loadMap();
  ui.state = await api('GET', `/api/state?district=${district()}`);
  $('seed').value = ui.state.seed;
  buildLevers();
  render(false);
  $('setup').addEventListener('click', setup);
  $('step').addEventListener('click', () => { stop(); step(); });
  $('run').addEventListener('click', toggleRun);
  $('speed').addEventListener('input', renderText);
  $('lang-id').addEventListener('click', () => { ui.lang = 'id'; render(false); });
  $('lang-en').addEventListener('click', () => { ui.lang = 'en'; render(false); });
  sel.addEventListener('change', async () => {
    await loadMap();
    ui.state = await api('GET', `/api/state?district=${district()}`);
    render(false);
  });
  window.addEventListener('resize', () => { ui.layout = null; drawMap(1); });
}

start().catch(err => message(err.message));
