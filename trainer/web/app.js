// The trainer's page. Everything it shows comes from the server, which steps the model;
// the page only lays it out, in Indonesian or English.
'use strict';

const INFO = {
  id: [
    ['Apa ini', [
      'Simulasi program KUBE (Kelompok Usaha Bersama) Kementerian Sosial di satu kota atau kabupaten. Rumah tangga DTKS ' +
      'dibentuk menjadi kelompok, menerima dana UEP, menjalankan usaha bersama dan didampingi pendamping. Sebagian ' +
      'kelompok bertahan, sebagian berhenti; halaman ini menunjukkan mengapa.',
      'Setiap peramban mendapat simulasinya sendiri: peserta pelatihan lain tidak mengubah jalannya simulasi Anda.']],
    ['Cara kerjanya', [
      'Setiap langkah adalah satu bulan. Model yang sama dengan perintah berdaya run menggerakkan dua simulasi dengan ' +
      'rumah tangga dan guncangan yang sama: satu dengan tuas Anda, satu lagi skenario asli (pembanding). Selisih ' +
      'kedua garis pada grafik hanya berasal dari tuas.',
      'Tuas berlaku saat Siapkan ditekan, mulai dari bulan 0. Garis titik-titik menunjukkan anggota yang sama tanpa ' +
      'program sama sekali.',
      'Peta menampilkan desa-desa satu kecamatan: titik kecil adalah rumah tangga, tanda besar adalah kelompok ' +
      '(bentuk dan warnanya menunjukkan keadaannya), garis putus-putus biru adalah perjalanan pendamping bulan ini. ' +
      'Klik sebuah kelompok atau rumah tangga untuk melihat rinciannya.']],
    ['Hal yang bisa dicoba', [
      'Naikkan sesi sosialisasi dari 1 ke 3: apakah lebih sedikit kelompok yang membagi-bagikan dananya?',
      'Latih pengurus saja lalu semua anggota dengan jam pelatihan yang sama: mana yang lebih bertahan?',
      'Beri satu pendamping 30 kelompok: berapa lama kelompok berisiko menunggu kunjungan?',
      'Naikkan dana UEP per anggota: apakah pendapatan anggota naik, atau hanya biaya program?',
      'Nyalakan "Selisih dari pembanding" untuk melihat hasil tuas sebagai selisih, bukan sebagai tingkat.']],
  ],
  en: [
    ['What is it', [
      'A simulation of the Ministry of Social Affairs\' KUBE program (joint business groups) in one city or regency. ' +
      'DTKS households are formed into groups, receive a UEP grant, run a business together and are visited by ' +
      'mentors. Some groups last, some end; this page shows why.',
      'Each browser gets its own simulation: other trainees do not change your run.']],
    ['How it works', [
      'Each step is one month. The same model as the berdaya run command moves two simulations with the same ' +
      'households and shocks: one with your levers, one with the scenario as written (the baseline). A gap between ' +
      'the two lines on a chart comes from the levers alone.',
      'Levers take effect when you press Set up, from month 0. The dotted line shows the same members without any ' +
      'program at all.',
      'The map shows the villages of one sub-district: small dots are households, large marks are groups (their ' +
      'shape and colour show their state), dashed blue lines are the mentors\' rounds this month. Click a group or a ' +
      'household to inspect it.']],
    ['Things to try', [
      'Raise socialization sessions from 1 to 3: do fewer groups share out their grant?',
      'Train the officers only, then all members, for the same hours: which groups last longer?',
      'Give one mentor 30 groups: how long do groups at risk wait for a visit?',
      'Raise the UEP grant per member: does member income rise, or only the program cost?',
      'Turn on "Difference from the baseline" to see what the levers do as a gap rather than as levels.']],
  ],
};

const TEXT = {
  id: {
    subtitle: 'mode pelatih · simulasi program KUBE', info_button: 'Info', info_title: 'Tentang halaman ini',
    close: 'Tutup',
    levers: 'Tuas kebijakan', levers_hint: 'Perubahan berlaku saat Siapkan ditekan; pembanding tetap memakai skenario asli dengan benih acak yang sama.',
    reset: 'Kembalikan tuas ke skenario', seed: 'Benih acak', setup: 'Siapkan', step: 'Langkah', run: 'Jalankan', pause: 'Jeda',
    speed: 'Kecepatan', per_second: 'bln/dtk', map: 'Desa-desa di kecamatan', district: 'Kecamatan',
    map_hint: 'Klik kelompok atau rumah tangga untuk melihat rinciannya.',
    charts: 'Grafik', diff: 'Selisih dari pembanding',
    chart_active: 'Kelompok aktif', chart_income: 'Pendapatan anggota', chart_poverty: 'Anggota di bawah garis kemiskinan',
    axis_month: 'Bulan', axis_groups: 'kelompok', axis_income: 'Rp per bulan', axis_poverty: '% anggota',
    axis_diff_groups: 'selisih, kelompok', axis_diff_income: 'selisih, Rp per bulan', axis_diff_poverty: 'selisih, poin persen',
    no_data: 'Belum ada data: tekan Langkah atau Jalankan.',
    events: 'Kejadian', month: 'Bulan', months_of: 'dari', active: 'Kelompok aktif', failed: 'Kelompok berhenti',
    mentors: 'Pendamping', cost: 'Biaya program', scenario: 'Skenario', pending: 'Tuas berubah: tekan Siapkan untuk memulai ulang dengan tuas ini.',
    ready: 'Siap di bulan 0.', finished: 'Simulasi selesai.', key_run: 'dengan tuas', key_base: 'skenario asli (pembanding)',
    key_cf: 'tanpa program', key_diff: 'dengan tuas dikurangi pembanding', key_zero: 'pembanding (selisih 0)',
    state_household: 'rumah tangga DTKS', state_member: 'anggota (warna kelompoknya)', state_left: 'keluar dari kelompok',
    state_preparing: 'persiapan', state_active: 'aktif', state_risk: 'berisiko', state_need: 'butuh bantuan',
    state_mentor: 'pendamping berkunjung', office: 'Dinas Sosial', all: 'semua anggota', officers: 'pengurus saja',
    no_events: 'Belum ada kejadian. Tekan Langkah atau Jalankan.',
    group: 'Kelompok', household: 'Rumah tangga', village: 'Desa', business_type: 'Usaha', stage: 'Keadaan',
    mentor: 'Pendamping', cohort: 'Angkatan', members: 'Anggota', members_now: 'sekarang', members_formed: 'saat dibentuk',
    contributors: 'Anggota yang bekerja', capital: 'Modal', iks: 'Dana IKS', cohesion: 'Kekompakan',
    bookkeeping: 'Pembukuan', grant: 'Dana UEP diterima', payout: 'Bagi hasil per anggota', formed_at: 'Dibentuk',
    funded_at: 'Dana cair', failed_at: 'Berhenti', history: 'Riwayat', no_history: 'Belum ada kejadian pada kelompok ini.',
    month_n: n => `bulan ${n}`, per_month: '/bln', role: 'Peran', size: 'Jiwa', base_income: 'Pendapatan dasar',
    poverty_line: 'Garis kemiskinan', understanding: 'Pemahaman', skill: 'Keterampilan', motivation: 'Motivasi',
    savings: 'Tabungan', eligible: 'Terdaftar DTKS', recipient: 'Penerima program', yes: 'ya', no: 'tidak',
    member_left: 'keluar', not_in_group: 'bukan anggota kelompok', open_group: 'Lihat kelompok',
    in_need: 'sedang butuh uang tunai', roles: {none: '-', member: 'anggota', chair: 'ketua', secretary: 'sekretaris', treasurer: 'bendahara'},
    income_note: 'Pendapatan dasar: tanpa program, sebelum guncangan bulanan.', loading: 'Memuat…',
    session_gone: 'Sesi ini sudah berakhir. Muat ulang halaman untuk memulai yang baru.',
    levers_names: {
      'socialization.sessions': 'Sesi sosialisasi', 'socialization.refresher_interval': 'Penyegaran tiap (bulan, 0: tidak ada)',
      'training.hours': 'Jam pelatihan', 'training.who': 'Peserta pelatihan', 'monitoring.interval': 'Monitoring tiap (bulan)',
      'mentors.groups_per_mentor': 'Kelompok per pendamping', 'mentors.visits_per_month': 'Kunjungan pendamping per bulan',
      'program.grant_per_member': 'Dana UEP per anggota', 'labels.per_year': 'Label produk per tahun',
      'permits.per_year': 'Izin P-IRT per tahun'},
    levers_help: {
      'socialization.sessions': 'Sesi sosialisasi sebelum dana dicairkan.',
      'socialization.refresher_interval': 'Jarak antarsesi penyegaran dalam bulan (0: tanpa penyegaran).',
      'training.hours': 'Jam pelatihan per peserta sebelum dana dicairkan.',
      'training.who': 'Siapa yang dilatih: semua anggota atau tiga pengurus.',
      'monitoring.interval': 'Jarak yang direncanakan antarkunjungan monitoring rutin, dalam bulan.',
      'mentors.groups_per_mentor': 'Jumlah kelompok yang didampingi satu pendamping.',
      'mentors.visits_per_month': 'Kunjungan yang dapat dilakukan seorang pendamping dalam sebulan.',
      'program.grant_per_member': 'Dana UEP per anggota, dibayarkan ke rekening kelompok.',
      'labels.per_year': 'Label produk yang diberikan Disperindag dalam setahun.',
      'permits.per_year': 'Izin pangan (P-IRT) yang diberikan Dinas Kesehatan dalam setahun.'},
    range: (lo, hi) => `Rentang penggeser: ${lo} sampai ${hi}.`, scenario_value: v => `Nilai skenario: ${v}.`,
    causes: {grant_split: 'dana dibagi', business_losses: 'usaha merugi', member_withdrawal: 'anggota mundur',
             conflict: 'konflik', catastrophe: 'bencana'},
    stages: {preparing: 'persiapan', active: 'aktif', inactive: 'berhenti'},
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
      flagged: e => `pendamping ${e.value + 1} menandainya berisiko (kekompakan ${num(e.value2, 2)})`,
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
    subtitle: 'trainer mode · KUBE program simulation', info_button: 'Info', info_title: 'About this page',
    close: 'Close',
    levers: 'Policy levers', levers_hint: 'Changes take effect when you press Set up; the comparison keeps the original scenario with the same seed.',
    reset: 'Reset levers to the scenario', seed: 'Seed', setup: 'Set up', step: 'Step', run: 'Run', pause: 'Pause',
    speed: 'Speed', per_second: 'months/s', map: 'Villages of the sub-district', district: 'Sub-district',
    map_hint: 'Click a group or a household to inspect it.',
    charts: 'Charts', diff: 'Difference from the baseline',
    chart_active: 'Active groups', chart_income: 'Member income', chart_poverty: 'Members below the poverty line',
    axis_month: 'Month', axis_groups: 'groups', axis_income: 'Rp a month', axis_poverty: '% of members',
    axis_diff_groups: 'difference, groups', axis_diff_income: 'difference, Rp a month', axis_diff_poverty: 'difference, percentage points',
    no_data: 'No data yet: press Step or Run.',
    events: 'Events', month: 'Month', months_of: 'of', active: 'Active groups', failed: 'Groups ended',
    mentors: 'Mentors', cost: 'Program cost', scenario: 'Scenario', pending: 'Levers changed: press Set up to restart with them.',
    ready: 'Ready at month 0.', finished: 'The run is complete.', key_run: 'with your levers', key_base: 'original scenario (baseline)',
    key_cf: 'without the program', key_diff: 'with your levers minus the baseline', key_zero: 'baseline (difference 0)',
    state_household: 'DTKS household', state_member: 'member (its group\'s colour)', state_left: 'left its group',
    state_preparing: 'preparing', state_active: 'active', state_risk: 'at risk', state_need: 'needs help',
    state_mentor: 'mentor visiting', office: 'Social affairs office', all: 'all members', officers: 'officers only',
    no_events: 'Nothing has happened yet. Press Step or Run.',
    group: 'Group', household: 'Household', village: 'Village', business_type: 'Business', stage: 'State',
    mentor: 'Mentor', cohort: 'Cohort', members: 'Members', members_now: 'now', members_formed: 'at formation',
    contributors: 'Members working', capital: 'Capital', iks: 'IKS fund', cohesion: 'Cohesion',
    bookkeeping: 'Bookkeeping', grant: 'UEP grant received', payout: 'Payout per member', formed_at: 'Formed',
    funded_at: 'Grant paid', failed_at: 'Ended', history: 'History', no_history: 'Nothing has happened to this group yet.',
    month_n: n => `month ${n}`, per_month: '/month', role: 'Role', size: 'People', base_income: 'Base income',
    poverty_line: 'Poverty line', understanding: 'Understanding', skill: 'Skill', motivation: 'Motivation',
    savings: 'Savings', eligible: 'Listed in DTKS', recipient: 'Program recipient', yes: 'yes', no: 'no',
    member_left: 'left', not_in_group: 'not in a group', open_group: 'Open group',
    in_need: 'short of cash', roles: {none: '-', member: 'member', chair: 'chair', secretary: 'secretary', treasurer: 'treasurer'},
    income_note: 'Base income: without the program, before the monthly shocks.', loading: 'Loading…',
    session_gone: 'This session has ended. Reload the page to start a new one.',
    levers_names: {
      'socialization.sessions': 'Socialization sessions', 'socialization.refresher_interval': 'Refresher every (months, 0: none)',
      'training.hours': 'Training hours', 'training.who': 'Who is trained', 'monitoring.interval': 'Monitoring every (months)',
      'mentors.groups_per_mentor': 'Groups per mentor', 'mentors.visits_per_month': 'Mentor visits per month',
      'program.grant_per_member': 'UEP grant per member', 'labels.per_year': 'Product labels per year',
      'permits.per_year': 'Food permits (P-IRT) per year'},
    levers_help: {},  // English: the descriptions the server sends
    range: (lo, hi) => `Slider range: ${lo} to ${hi}.`, scenario_value: v => `Scenario value: ${v}.`,
    causes: {grant_split: 'grant shared out', business_losses: 'business losses', member_withdrawal: 'members withdrew',
             conflict: 'conflict', catastrophe: 'disaster'},
    stages: {preparing: 'preparing', active: 'active', inactive: 'ended'},
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
      flagged: e => `mentor ${e.value + 1} flagged it at risk (cohesion ${num(e.value2, 2)})`,
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

// Every state a group can be in has its own colour (Okabe-Ito where it has one) and its
// own shape, so the map reads without colour too.
const STATES = {
  preparing: {color: '#e69f00', shape: 'triangle'},
  active: {color: '#009e73', shape: 'circle'},
  risk: {color: '#d55e00', shape: 'diamond'},
  grant_split: {color: '#cc79a7', shape: 'square'},
  business_losses: {color: '#8c510a', shape: 'down'},
  member_withdrawal: {color: '#56b4e9', shape: 'hexagon'},
  conflict: {color: '#6a3d9a', shape: 'star'},
  catastrophe: {color: '#222222', shape: 'cross'},
};
const COLORS = {household: '#cfc9bb', left: '#8f8f8f', mentor: '#0072b2', run: '#1f6f5c', base: '#9a6a1c', cf: '#888'};
const BAD = new Set(['failed_grant_split', 'failed_business_losses', 'failed_member_withdrawal', 'failed_conflict',
                     'failed_catastrophe', 'capture_found', 'declined', 'left']);
const GOOD = new Set(['formed', 'funded', 'approved', 'label', 'permit']);

const ui = {
  lang: 'id', info: null, map: null, state: null, layout: null, values: {}, running: false, busy: false,
  timer: null, anim: null, targets: [], inspect: null, inspectData: null,
};
const $ = id => document.getElementById(id);
const t = key => TEXT[ui.lang][key];

// --- numbers ------------------------------------------------------------------------------

// Indonesian writes 2.300.000 and 0,71; English 2,300,000 and 0.71. Written out here so
// every browser gives the same text.
function num(x, digits = 0) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const [dec, thou] = ui.lang === 'id' ? [',', '.'] : ['.', ','];
  const s = Math.abs(x).toFixed(digits);
  const [int, frac] = s.split('.');
  const out = int.replace(/\B(?=(\d{3})+(?!\d))/g, thou) + (frac ? dec + frac : '');
  return (x < 0 && Number(s) !== 0 ? '−' : '') + out;
}

// Units for large sums of money: ribu/juta/miliar, or thousand/million/billion.
function moneyUnit(magnitude) {
  const units = ui.lang === 'id'
    ? [[1e9, ' M'], [1e6, ' jt'], [1e3, ' rb']] : [[1e9, ' bn'], [1e6, ' M'], [1e3, 'k']];
  for (const [v, name] of units) if (magnitude >= v) return {v, name};
  return {v: 1, name: ''};
}

// Whole rupiah: "Rp 2.300.000".
function rp(x) { return 'Rp ' + num(Math.round(x)); }

// Rupiah in a short form with enough digits: "Rp 2,3 jt", "Rp 750 rb".
function rpShort(x) {
  const u = moneyUnit(Math.abs(x));
  const v = x / u.v;
  return 'Rp ' + num(v, u.v === 1 || Math.abs(v) >= 100 ? 0 : 1) + u.name;
}

function pct(x, digits = 0) { return num(x * 100, digits) + '%'; }

// --- talking to the server ----------------------------------------------------------------

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
  if (res.status === 410) throw new Error(t('session_gone'));
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
    const help = document.createElement('span');
    help.className = 'help';
    help.textContent = 'i';
    help.setAttribute('aria-hidden', 'true');
    const out = document.createElement('output');
    head.append(label, help, out);
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
  if (l.name === 'program.grant_per_member') return rpShort(v);
  return num(v, Number.isInteger(v) ? 0 : 1);
}

// The lever's description: the server's (English) or the page's Indonesian one, with the
// slider's range and the scenario's value.
function leverHelp(l) {
  const d = t('levers_help')[l.name] || l.description.replace(/([^.!?])$/, '$1.');
  const range = l.options ? '' : ' ' + t('range')(formatLever(l, l.ui_min), formatLever(l, l.ui_max));
  return `${d}${range} ${t('scenario_value')(formatLever(l, l.scenario))}`;
}

function refreshLevers() {
  let pending = false;
  for (const div of $('levers').children) {
    const l = ui.info.levers.find(x => x.name === div.dataset.name);
    const v = ui.values[l.name];
    const name = t('levers_names')[l.name] || l.name;
    div.querySelector('.label').textContent = name;
    div.title = leverHelp(l);
    div.querySelector('output').textContent = formatLever(l, v);
    const input = div.querySelector('input');
    if (input) {
      input.setAttribute('aria-label', name);
      input.setAttribute('aria-description', div.title);
      if (Number(input.value) !== v) input.value = v;
    }
    for (const b of div.querySelectorAll('.switch button')) {
      b.textContent = t(b.dataset.value) || b.dataset.value;
      b.classList.toggle('on', b.dataset.value === v);
    }
    const changed = ui.state && v !== leverValue(l);
    div.classList.toggle('changed', !!changed);
    pending = pending || changed;
  }
  if (pending) message(t('pending'), true);
  else if ($('message').textContent === t('pending')) message('');
}

function resetLevers() {
  for (const l of ui.info.levers) ui.values[l.name] = l.scenario;
  refreshLevers();
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
  const r = Math.min(cw, ch) * 0.40;
  const pos = new Map(), villages = [];
  vs.forEach((v, i) => {
    const cx = cw * (i % cols + 0.5), cy = 24 + ch * (Math.floor(i / cols) + 0.5) + 4;
    villages.push({name: v.name, cx, cy, r});
    for (let k = 0; k < v.count; ++k) {
      const rad = r * 0.95 * Math.sqrt((k + 0.5) / v.count), ang = k * 2.399963;
      pos.set(v.first + k, [cx + rad * Math.cos(ang), cy + rad * Math.sin(ang)]);
    }
  });
  return {w, h, pos, villages, office: [14, 12]};
}

function groupState(g) {
  if (g.stage === 'inactive') return STATES[g.cause] ? g.cause : 'grant_split';
  if (g.at_risk) return 'risk';
  return g.stage;
}

function stateLabel(key) {
  return t('causes')[key] || t('state_' + key);
}

// A group's mark: its state's shape, filled with its colour, outlined in white.
function shapePath(ctx, shape, x, y, r) {
  ctx.beginPath();
  const poly = pts => pts.forEach(([a, b], i) => (i ? ctx.lineTo(x + a * r, y + b * r) : ctx.moveTo(x + a * r, y + b * r)));
  switch (shape) {
    case 'circle': ctx.arc(x, y, r, 0, 2 * Math.PI); break;
    case 'triangle': poly([[0, -1.15], [1.05, 0.75], [-1.05, 0.75]]); break;
    case 'down': poly([[0, 1.15], [1.05, -0.75], [-1.05, -0.75]]); break;
    case 'diamond': poly([[0, -1.25], [1.1, 0], [0, 1.25], [-1.1, 0]]); break;
    case 'square': poly([[-0.9, -0.9], [0.9, -0.9], [0.9, 0.9], [-0.9, 0.9]]); break;
    case 'hexagon': poly([0, 1, 2, 3, 4, 5].map(k => [Math.cos(k * Math.PI / 3), Math.sin(k * Math.PI / 3)])); break;
    case 'star': poly([...Array(10).keys()].map(k => {
      const a = -Math.PI / 2 + k * Math.PI / 5, q = k % 2 ? 0.5 : 1.2;
      return [q * Math.cos(a), q * Math.sin(a)];
    })); break;
    case 'cross': {
      const a = 0.38, b = 1.05;
      poly([[-b, -b + a], [-b + a, -b], [0, -a], [b - a, -b], [b, -b + a], [a, 0], [b, b - a], [b - a, b], [0, a],
            [-b + a, b], [-b, b - a], [-a, 0]]);
      break;
    }
  }
  ctx.closePath();
}

function drawMark(ctx, state, x, y, r) {
  const s = STATES[state];
  shapePath(ctx, s.shape, x, y, r);
  ctx.fillStyle = s.color;
  ctx.fill();
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 1.5;
  ctx.stroke();
}

function boxesOverlap(a, b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

// Labels placed greedily, groups that matter most first: below, above, right or left of
// the mark, wherever the label meets no other label, mark or village name. A label that
// fits nowhere is left out; hovering over the mark shows the name.
function placeLabels(ctx, marks, obstacles, w, h) {
  const placed = [...obstacles];
  const order = {risk: 0, active: 1, preparing: 2};
  const sorted = [...marks].sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3) || a.g.id - b.g.id);
  const labels = [];
  for (const m of sorted) {
    const text = m.g.name.replace('KUBE ', '') + (m.g.need ? ' !' : '');
    const tw = ctx.measureText(text).width, th = 11;
    const cands = [[m.x - tw / 2, m.y + 10], [m.x - tw / 2, m.y - 10 - th], [m.x + 10, m.y - th / 2],
                   [m.x - 10 - tw, m.y - th / 2]];
    for (const [x, y] of cands) {
      const box = {x0: x - 1, y0: y, x1: x + tw + 1, y1: y + th};
      if (box.x0 < 0 || box.x1 > w || box.y0 < 0 || box.y1 > h) continue;
      if (placed.some(p => boxesOverlap(p, box))) continue;
      placed.push(box);
      labels.push({text, x, y: y + th - 2});
      m.labelled = true;
      break;
    }
  }
  return labels;
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
  const obstacles = [];
  for (const v of L.villages) {
    ctx.strokeStyle = '#d8d2c2';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.arc(v.cx, v.cy, v.r, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = '#555';
    ctx.fillText(v.name, v.cx, v.cy - v.r - 3);
    const tw = ctx.measureText(v.name).width;
    obstacles.push({x0: v.cx - tw / 2, x1: v.cx + tw / 2, y0: v.cy - v.r - 14, y1: v.cy - v.r});
  }
  const color = new Map(), hollow = new Set();
  const here = ui.state.groups.filter(g => g.ever);
  for (const g of here) {
    const cur = new Set(g.current);
    for (const h of g.ever) {
      if (g.stage !== 'inactive' && !cur.has(h)) hollow.add(h);
      else color.set(h, STATES[groupState(g)].color);
    }
  }
  const picked = ui.inspect && ui.inspect.kind === 'household' ? ui.inspect.id : -1;
  for (const [h, p] of L.pos) {
    ctx.beginPath();
    if (hollow.has(h)) {
      ctx.arc(p[0], p[1], 2.4, 0, 2 * Math.PI);
      ctx.strokeStyle = COLORS.left;
      ctx.lineWidth = 1;
      ctx.stroke();
    } else {
      ctx.arc(p[0], p[1], color.has(h) ? 2.8 : 1.8, 0, 2 * Math.PI);
      ctx.fillStyle = color.get(h) || COLORS.household;
      ctx.fill();
    }
    if (h === picked) {
      ctx.beginPath();
      ctx.arc(p[0], p[1], 6, 0, 2 * Math.PI);
      ctx.strokeStyle = '#222';
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  }
  // Each group: lines from a mark at its members' centre to every member.
  const centre = new Map(), marks = [];
  for (const g of here) {
    let x = 0, y = 0;
    for (const h of g.ever) { const p = L.pos.get(h); x += p[0]; y += p[1]; }
    x /= g.ever.length; y /= g.ever.length;
    centre.set(g.id, [x, y]);
    const state = groupState(g);
    marks.push({g, x, y, state});
    ctx.strokeStyle = STATES[state].color;
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
  }
  for (const m of marks) {
    drawMark(ctx, m.state, m.x, m.y, 6);
    obstacles.push({x0: m.x - 8, x1: m.x + 8, y0: m.y - 8, y1: m.y + 8});
    if (ui.inspect && ui.inspect.kind === 'group' && ui.inspect.id === m.g.id) {
      ctx.beginPath();
      ctx.arc(m.x, m.y, 11, 0, 2 * Math.PI);
      ctx.strokeStyle = '#222';
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  }
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillStyle = '#222';
  for (const l of placeLabels(ctx, marks, obstacles, L.w, L.h)) {
    ctx.fillStyle = 'rgba(255,255,255,0.75)';
    ctx.fillRect(l.x - 1, l.y - 9, ctx.measureText(l.text).width + 2, 11);
    ctx.fillStyle = '#222';
    ctx.fillText(l.text, l.x, l.y);
  }
  // Mentors travel from the office through this month's visits in the sub-district.
  ctx.fillStyle = COLORS.mentor;
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
    ctx.fillStyle = COLORS.mentor;
    ctx.beginPath();
    ctx.arc(x, y, 6.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = '#fff';
    ctx.textAlign = 'center';
    ctx.fillText(String(m + 1), x, y + 3.5);
    ctx.textAlign = 'left';
  }
  ui.targets = marks.map(m => ({kind: 'group', id: m.g.id, x: m.x, y: m.y, name: m.g.name, state: m.state}));
  renderTargets();
}

// The marks as a list a screen reader can read and a keyboard can reach.
function renderTargets() {
  const ul = $('map-targets');
  // Drawn every animation frame; rebuilt only when a mark or its words changed.
  const key = ui.lang + JSON.stringify(ui.targets);
  if (ul.dataset.key === key) return;
  ul.dataset.key = key;
  ul.textContent = '';
  for (const m of ui.targets) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.group = m.id;
    b.dataset.x = m.x.toFixed(1);
    b.dataset.y = m.y.toFixed(1);
    b.textContent = `${m.name}, ${stateLabel(m.state)}`;
    b.addEventListener('click', () => openInspect('group', m.id));
    li.append(b);
    ul.append(li);
  }
}

// What is under the pointer: a group's mark, else the nearest household dot.
function hitTest(x, y) {
  let best = null, bestD = 10;
  for (const m of ui.targets) {
    const d = Math.hypot(m.x - x, m.y - y);
    if (d < bestD) { best = m; bestD = d; }
  }
  if (best || !ui.layout) return best;
  bestD = 4.5;
  for (const [h, p] of ui.layout.pos) {
    const d = Math.hypot(p[0] - x, p[1] - y);
    if (d < bestD) { best = {kind: 'household', id: h, x: p[0], y: p[1]}; bestD = d; }
  }
  return best;
}

function onMapMove(ev) {
  const r = $('map').getBoundingClientRect();
  const x = ev.clientX - r.left, y = ev.clientY - r.top;
  const hit = hitTest(x, y);
  const tip = $('map-tip');
  $('map').style.cursor = hit ? 'pointer' : 'default';
  if (!hit) { tip.hidden = true; return; }
  tip.textContent = hit.kind === 'group' ? `${hit.name}: ${stateLabel(hit.state)}` : `${t('household')} ${hit.id}`;
  tip.hidden = false;
  const left = Math.min(x + 12, r.width - tip.offsetWidth - 4);
  tip.style.left = `${Math.max(0, left)}px`;
  tip.style.top = `${Math.max(0, y - 26)}px`;
}

function onMapClick(ev) {
  const r = $('map').getBoundingClientRect();
  const hit = hitTest(ev.clientX - r.left, ev.clientY - r.top);
  if (hit) openInspect(hit.kind, hit.id);
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

// A legend entry's symbol, drawn on a small canvas the same way as on the map.
function legendIcon(draw) {
  const c = document.createElement('canvas');
  const dpr = window.devicePixelRatio || 1;
  c.width = 16 * dpr;
  c.height = 16 * dpr;
  c.className = 'icon';
  const ctx = c.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  draw(ctx);
  return c;
}

function renderLegend() {
  const ul = $('legend');
  ul.textContent = '';
  const add = (key, label, draw) => {
    const li = document.createElement('li');
    li.dataset.state = key;
    li.append(legendIcon(draw), label);
    ul.append(li);
  };
  const dot = (fill, r) => ctx => { ctx.beginPath(); ctx.arc(8, 8, r, 0, 2 * Math.PI); ctx.fillStyle = fill; ctx.fill(); };
  add('household', t('state_household'), dot(COLORS.household, 2.5));
  add('member', t('state_member'), dot(STATES.active.color, 3));
  add('left', t('state_left'), ctx => {
    ctx.beginPath();
    ctx.arc(8, 8, 3, 0, 2 * Math.PI);
    ctx.strokeStyle = COLORS.left;
    ctx.stroke();
  });
  for (const key of Object.keys(STATES)) add(key, stateLabel(key), ctx => drawMark(ctx, key, 8, 8, 5.5));
  add('need', t('state_need'), ctx => {
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.fillStyle = '#222';
    ctx.textAlign = 'center';
    ctx.fillText('!', 8, 12);
  });
  add('mentor', t('state_mentor'), ctx => {
    dot(COLORS.mentor, 6)(ctx);
    ctx.fillStyle = '#fff';
    ctx.font = '9px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText('1', 8, 11);
  });
}

// --- charts -------------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

// Ticks over the values' range (not from 0): a step of 1, 2 or 5 times a power of ten,
// and the digits that step needs, so no two tick labels read the same. A flat range is
// widened around its value; no values give no ticks.
function niceTicks(lo, hi, opts) {
  if (!(hi >= lo)) return null;
  if (opts.zero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  let span = hi - lo;
  // A flat line gets an axis a tenth of its value wide (at least minSpan).
  const least = Math.max(opts.minSpan, opts.relSpan ? opts.relSpan * Math.max(Math.abs(lo), Math.abs(hi)) : 0);
  if (span < least) {
    const mid = (lo + hi) / 2;
    lo = mid - least / 2;
    hi = mid + least / 2;
    if (opts.floor !== undefined && lo < opts.floor) { hi += opts.floor - lo; lo = opts.floor; }
    span = hi - lo;
  }
  const raw = span / 4, p = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 2.5, 5, 10].map(m => m * p).find(s => s >= raw);
  if (opts.integer) step = Math.max(1, Math.round(step));
  const t0 = Math.floor(lo / step + 1e-9) * step, t1 = Math.ceil(hi / step - 1e-9) * step;
  const ticks = [];
  for (let v = t0; v <= t1 + step * 1e-6; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return {ticks, step, lo: t0, hi: t1};
}

// Decimal digits for ticks `step` apart, in a unit of `unit`.
function digitsFor(step, unit) {
  const s = step / unit;
  for (let d = 0; d < 6; ++d) if (Math.abs(Math.round(s * 10 ** d) - s * 10 ** d) < 1e-6) return d;
  return 6;
}

// How each chart's values read on its axis.
const KINDS = {
  count: {minSpan: 4, floor: 0, integer: true, label: (v, step, sign) => sign(v) + num(v, digitsFor(step, 1))},
  money: {minSpan: 20000, relSpan: 0.1, floor: 0, label: (v, step, sign, ticks) => {
    if (v === 0) return '0';
    const u = moneyUnit(Math.max(...ticks.map(Math.abs)));
    return sign(v) + num(v / u.v, digitsFor(step, u.v)) + u.name;
  }},
  share: {minSpan: 0.02, floor: 0, label: (v, step, sign, ticks, diff) =>
    sign(v) + num(v * 100, digitsFor(step * 100, 1)) + (diff ? '' : '%')},
};

function chart(svg, opts) {
  const W = 360, H = 176, x0 = 58, y0 = 8, x1 = W - 8, y1 = H - 34;
  const months = ui.state.months, kind = KINDS[opts.kind], diff = !!opts.diff;
  svg.textContent = '';
  let lo = Infinity, hi = -Infinity;
  for (const l of opts.lines) for (const v of l.values) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const scale = lo <= hi
    ? niceTicks(lo, hi, {...kind, zero: diff, floor: diff ? undefined : kind.floor, relSpan: diff ? 0 : kind.relSpan,
                          minSpan: kind.minSpan / (diff ? 2 : 1)})
    : null;
  const X = m => x0 + (x1 - x0) * m / Math.max(1, months - 1);
  const Y = v => y1 - (y1 - y0) * (v - scale.lo) / (scale.hi - scale.lo);
  const sign = v => (diff && v > 0 ? '+' : '');
  svg.append(el('text', {class: 'title', x: 12, y: (y0 + y1) / 2, 'text-anchor': 'middle',
                         transform: `rotate(-90 12 ${(y0 + y1) / 2})`}, opts.yTitle));
  svg.append(el('text', {class: 'title', x: (x0 + x1) / 2, y: H - 4, 'text-anchor': 'middle'}, t('axis_month')));
  svg.dataset.ticks = '';
  if (scale) {
    const labels = [];
    for (const v of scale.ticks) {
      const text = kind.label(v, scale.step, sign, scale.ticks, diff);
      labels.push(text);
      svg.append(el('line', {class: v === 0 && diff ? 'zero' : 'grid', x1: x0, x2: x1, y1: Y(v), y2: Y(v)}));
      svg.append(el('text', {class: 'tick', x: x0 - 4, y: Y(v) + 3, 'text-anchor': 'end'}, text));
    }
    svg.dataset.ticks = labels.join('|');
  } else {
    svg.append(el('text', {class: 'empty', x: (x0 + x1) / 2, y: (y0 + y1) / 2, 'text-anchor': 'middle'}, t('no_data')));
  }
  for (let m = 0; m <= months; m += 12) {
    const at = Math.max(0, m - 1);  // month m is the value at index m - 1
    svg.append(el('text', {class: 'tick', x: X(at), y: y1 + 13, 'text-anchor': 'middle'}, num(Math.max(1, m))));
  }
  svg.append(el('line', {class: 'axis', x1: x0, x2: x0, y1: y0, y2: y1}));
  svg.append(el('line', {class: 'axis', x1: x0, x2: x1, y1: y1, y2: y1}));
  if (scale) {
    for (const l of opts.lines) {
      let d = '', pen = false;
      l.values.forEach((v, m) => {
        if (v === null) { pen = false; return; }
        d += (pen ? 'L' : 'M') + X(m).toFixed(1) + ' ' + Y(v).toFixed(1);
        pen = true;
      });
      if (d) svg.append(el('path', {class: l.cls, d}));
    }
  }
  if (ui.state.month > 0) {
    const x = X(ui.state.month - 1);
    svg.append(el('line', {class: 'now', x1: x, x2: x, y1: y0, y2: y1}));
  }
}

function minus(a, b) { return a.map((v, i) => (v === null || b[i] === null ? null : v - b[i])); }

function renderCharts() {
  const r = ui.state.series.run, b = ui.state.series.baseline, diff = $('diff').checked;
  const sets = [
    ['chart-active', 'count', 'groups', 'groups_active', null],
    ['chart-income', 'money', 'income', 'income_members', 'income_members_cf'],
    ['chart-poverty', 'share', 'poverty', 'poverty_members', 'poverty_members_cf'],
  ];
  for (const [id, kind, axis, key, cf] of sets) {
    const lines = diff ? [{cls: 'run', values: minus(r[key], b[key])}]
      : [...(cf ? [{cls: 'cf', values: r[cf]}] : []), {cls: 'baseline', values: b[key]}, {cls: 'run', values: r[key]}];
    chart($(id), {kind, diff, lines, yTitle: t((diff ? 'axis_diff_' : 'axis_') + axis)});
  }
  const key = $('chart-key');
  key.textContent = '';
  const items = diff ? [['run', t('key_diff')], ['zero', t('key_zero')]]
    : [['run', t('key_run')], ['baseline', t('key_base')], ['cf', t('key_cf')]];
  for (const [cls, label] of items) {
    const li = document.createElement('li');
    const s = el('svg', {width: 26, height: 8, viewBox: '0 0 26 8'});
    s.append(el('line', {class: cls, x1: 1, x2: 25, y1: 4, y2: 4}));
    li.append(s, label);
    key.append(li);
  }
}

// --- inspecting a group or household ------------------------------------------------------

async function openInspect(kind, id) {
  ui.inspect = {kind, id};
  $('inspect').hidden = false;
  $('inspect-title').textContent = `${kind === 'group' ? t('group') : t('household')} …`;
  await refreshInspect();
  drawMap(1);
}

function closeInspect() {
  ui.inspect = null;
  ui.inspectData = null;
  $('inspect').hidden = true;
  drawMap(1);
}

async function refreshInspect() {
  if (!ui.inspect) return;
  const {kind, id} = ui.inspect;
  try {
    const data = await api('GET', `/api/${kind}/${id}`);
    if (!ui.inspect || ui.inspect.kind !== kind || ui.inspect.id !== id) return;
    ui.inspectData = {kind, data};
    renderInspect();
  } catch (err) {
    message(err.message);
  }
}

function dl(rows) {
  const d = document.createElement('dl');
  for (const [k, v] of rows) {
    const dt = document.createElement('dt'), dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = v;
    d.append(dt, dd);
  }
  return d;
}

function heading(text) {
  const h = document.createElement('h3');
  h.textContent = text;
  return h;
}

// A small chart of one figure over the group's months.
function spark(title, months, values, fmt) {
  const fig = document.createElement('figure');
  fig.className = 'spark';
  const cap = document.createElement('figcaption');
  cap.textContent = title;
  const svg = el('svg', {viewBox: '0 0 300 70'});
  fig.append(cap, svg);
  if (!values.length) return fig;
  const kind = fmt === 'money' ? KINDS.money : {minSpan: 0.1, label: (v, step) => num(v, digitsFor(step, 1))};
  const s = niceTicks(Math.min(...values), Math.max(...values), {...kind, floor: undefined, zero: false});
  const x0 = 52, x1 = 296, y0 = 5, y1 = 58, m0 = months[0], m1 = Math.max(months[months.length - 1], m0 + 1);
  const X = m => x0 + (x1 - x0) * (m - m0) / (m1 - m0), Y = v => y1 - (y1 - y0) * (v - s.lo) / (s.hi - s.lo);
  for (const v of [s.ticks[0], s.ticks[s.ticks.length - 1]]) {
    svg.append(el('line', {class: 'grid', x1: x0, x2: x1, y1: Y(v), y2: Y(v)}));
    svg.append(el('text', {class: 'tick', x: x0 - 4, y: Y(v) + 3, 'text-anchor': 'end'},
                  kind.label(v, s.step, () => '', s.ticks, false)));
  }
  svg.append(el('text', {class: 'tick', x: x0, y: 69, 'text-anchor': 'start'}, `${t('month')} ${num(m0 + 1)}`));
  svg.append(el('text', {class: 'tick', x: x1, y: 69, 'text-anchor': 'end'}, `${t('month')} ${num(m1 + 1)}`));
  svg.append(el('path', {class: 'run', d: values.map((v, i) => (i ? 'L' : 'M') + X(months[i]).toFixed(1) + ' ' +
                                                         Y(v).toFixed(1)).join('')}));
  return fig;
}

function stageText(g) {
  if (g.stage === 'inactive') return `${t('stages').inactive} (${t('causes')[g.cause] || g.cause})`;
  return g.at_risk ? `${t('stages')[g.stage]}, ${t('state_risk')}` : t('stages')[g.stage];
}

const monthOr = m => (m >= 0 ? t('month_n')(num(m + 1)) : '–');

function renderGroup(box, g) {
  $('inspect-title').textContent = g.name;
  box.dataset.group = g.id;
  const state = groupState(g);
  const badge = document.createElement('p');
  badge.className = 'badge';
  badge.append(legendIcon(ctx => drawMark(ctx, state, 8, 8, 5.5)), stageText(g));
  box.append(badge);
  box.append(dl([
    [t('village'), g.village_name], [t('business_type'), t('business')[g.business] || g.business],
    [t('mentor'), g.mentor >= 0 ? num(g.mentor + 1) : '–'], [t('cohort'), num(g.cohort + 1)],
    [t('members'), `${num(g.members)} ${t('members_now')} · ${num(g.size_formed)} ${t('members_formed')}`],
    [t('contributors'), num(g.contributors)], [t('capital'), rp(g.capital)], [t('iks'), rp(g.iks)],
    [t('cohesion'), num(g.cohesion, 2)], [t('bookkeeping'), num(g.bookkeeping, 2)], [t('grant'), rp(g.grant)],
    [t('payout'), rp(g.payout_per_member) + t('per_month')], [t('formed_at'), monthOr(g.formed)],
    [t('funded_at'), monthOr(g.funded)], [t('failed_at'), monthOr(g.failed)],
  ]));
  box.append(spark(t('capital'), g.history.month, g.history.capital, 'money'));
  box.append(spark(t('cohesion'), g.history.month, g.history.cohesion, 'unit'));
  box.append(heading(`${t('members')} (${num(g.people.length)})`));
  const table = document.createElement('table');
  table.className = 'people';
  const head = table.insertRow();
  for (const k of ['household', 'role', 'size', 'base_income', 'understanding']) {
    const th = document.createElement('th');
    th.textContent = t(k);
    head.append(th);
  }
  for (const p of g.people) {
    const tr = table.insertRow();
    const left = !p.current && g.stage !== 'inactive';
    tr.className = left ? 'left' : '';
    const cells = [num(p.household), p.current ? t('roles')[p.role] : left ? t('member_left') : '–', num(p.size),
                   `${rpShort(p.base_income)} / ${rpShort(p.poverty_line)}`, num(p.understanding, 2)];
    for (const c of cells) tr.insertCell().textContent = c;
    tr.addEventListener('click', () => openInspect('household', p.household));
  }
  box.append(table);
  const note = document.createElement('p');
  note.className = 'hint';
  note.textContent = `${t('base_income')} / ${t('poverty_line')}. ${t('income_note')}`;
  box.append(note);
  box.append(heading(t('history')));
  const ol = document.createElement('ol');
  ol.className = 'history';
  if (!g.events.length) ol.append(Object.assign(document.createElement('li'), {textContent: t('no_history')}));
  for (const e of [...g.events].reverse()) {
    const li = document.createElement('li');
    const say = t('ev')[e.kind];
    li.dataset.kind = e.kind;
    li.className = BAD.has(e.kind) ? 'bad' : GOOD.has(e.kind) ? 'good' : 'care';
    const b = document.createElement('b');
    b.textContent = `${t('month')} ${num(e.month + 1)}: `;
    li.append(b, say ? say(e, g) : e.kind);
    ol.append(li);
  }
  box.append(ol);
}

function renderHousehold(box, h) {
  $('inspect-title').textContent = `${t('household')} ${h.id}`;
  box.dataset.household = h.id;
  box.append(dl([
    [t('village'), h.village_name], [t('size'), num(h.size)], [t('eligible'), h.eligible ? t('yes') : t('no')],
    [t('recipient'), h.recipient ? t('yes') : t('no')], [t('role'), t('roles')[h.role] || h.role],
    [t('base_income'), rp(h.base_income) + t('per_month')], [t('poverty_line'), rp(h.poverty_line) + t('per_month')],
    [t('savings'), rp(h.savings)], [t('understanding'), num(h.understanding, 2)], [t('skill'), num(h.skill, 2)],
    [t('motivation'), num(h.motivation, 2)],
  ]));
  if (h.need_months > 0) {
    const p = document.createElement('p');
    p.textContent = t('in_need');
    box.append(p);
  }
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = t('income_note');
  box.append(p);
  if (!h.groups.length) {
    const q = document.createElement('p');
    q.textContent = t('not_in_group');
    box.append(q);
  }
  for (const id of h.groups) {
    const g = ui.state.groups[id];
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = `${t('open_group')}: ${g ? g.name : id}${id === h.group ? '' : ` (${t('member_left')})`}`;
    b.addEventListener('click', () => openInspect('group', id));
    box.append(b);
  }
}

function renderInspect() {
  if (!ui.inspectData) return;
  const box = $('inspect-body');
  box.textContent = '';
  delete box.dataset.group;
  delete box.dataset.household;
  const {kind, data} = ui.inspectData;
  if (kind === 'group') renderGroup(box, data);
  else renderHousehold(box, data);
}

// --- feed, figures, text ------------------------------------------------------------------

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
    li.dataset.group = e.group;
    const b = document.createElement('b');
    b.textContent = `${t('month')} ${num(e.month + 1)}: `;
    li.append(b, `${g.name}, ${v.name}, ${say ? say(e, g) : e.kind}`);
    li.addEventListener('click', () => openInspect('group', e.group));
    feed.append(li);
  }
}

function renderFigures() {
  const s = ui.state;
  const active = s.groups.filter(g => g.stage === 'active').length;
  const ended = s.groups.filter(g => g.stage === 'inactive').length;
  const cost = s.series.run.cost_total;
  const rows = [[t('month'), `${num(s.month)} ${t('months_of')} ${num(s.months)}`], [t('active'), num(active)],
                [t('failed'), num(ended)], [t('mentors'), num(s.mentors)],
                [t('cost'), rpShort(cost.length ? cost[cost.length - 1] : 0)]];
  const d = dl(rows);
  d.id = 'kpis';
  $('kpis').replaceWith(d);
  // The scenario's title in the page's language where its file has one, else its name.
  const title = (s.title && s.title[ui.lang]) || s.scenario;
  $('scenario').textContent = `${t('scenario')}: ${title} · ${t('seed').toLowerCase()} ${s.seed}`;
  $('step').disabled = $('run').disabled = s.month >= s.months;
}

function renderInfo() {
  const body = $('info-body');
  body.textContent = '';
  for (const [title, paras] of INFO[ui.lang]) {
    const sec = document.createElement('div');
    sec.append(heading(title));
    if (paras.length > 2) {
      const ul = document.createElement('ul');
      for (const p of paras) ul.append(Object.assign(document.createElement('li'), {textContent: p}));
      sec.append(ul);
    } else {
      for (const p of paras) sec.append(Object.assign(document.createElement('p'), {textContent: p}));
    }
    body.append(sec);
  }
}

function renderText() {
  document.documentElement.lang = ui.lang;
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  $('run').textContent = ui.running ? t('pause') : t('run');
  $('speed-out').textContent = `${$('speed').value} ${t('per_second')}`;
  $('lang-id').classList.toggle('on', ui.lang === 'id');
  $('lang-en').classList.toggle('on', ui.lang === 'en');
  renderInfo();
}

function render(animate) {
  renderText();
  refreshLevers();
  renderFigures();
  renderCharts();
  renderFeed();
  renderLegend();
  renderInspect();
  if (animate) animateMap(Math.min(900, 1000 / Number($('speed').value)));
  else drawMap(1);
}

function setLang(lang) {
  ui.lang = lang;
  try { localStorage.setItem('berdaya-lang', lang); } catch (e) { /* storage may be off */ }
  render(false);
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
    await refreshInspect();
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
    await refreshInspect();
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

function toggleInfo(show) {
  const open = show === undefined ? $('info').hidden : show;
  $('info').hidden = !open;
  $('info-toggle').setAttribute('aria-expanded', String(open));
}

async function start() {
  const asked = new URLSearchParams(location.search).get('lang');
  let stored = null;
  try { stored = localStorage.getItem('berdaya-lang'); } catch (e) { /* storage may be off */ }
  ui.lang = TEXT[asked] ? asked : TEXT[stored] ? stored : 'id';
  renderText();
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
  $('reset').addEventListener('click', resetLevers);
  $('speed').addEventListener('input', renderText);
  $('diff').addEventListener('change', renderCharts);
  $('lang-id').addEventListener('click', () => setLang('id'));
  $('lang-en').addEventListener('click', () => setLang('en'));
  $('info-toggle').addEventListener('click', () => toggleInfo());
  $('info-close').addEventListener('click', () => toggleInfo(false));
  $('inspect-close').addEventListener('click', closeInspect);
  document.addEventListener('keydown', ev => {
    if (ev.key !== 'Escape') return;
    if (!$('inspect').hidden) closeInspect();
    else toggleInfo(false);
  });
  const canvas = $('map');
  canvas.addEventListener('mousemove', onMapMove);
  canvas.addEventListener('mouseleave', () => { $('map-tip').hidden = true; });
  canvas.addEventListener('click', onMapClick);
  sel.addEventListener('change', async () => {
    await loadMap();
    ui.state = await api('GET', `/api/state?district=${district()}`);
    render(false);
  });
  window.addEventListener('resize', () => { ui.layout = null; drawMap(1); });
}

start().catch(err => message(err.message));
