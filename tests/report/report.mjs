// Opens the reports run_report.sh wrote in Debian's Chromium and checks what a reader
// would: the page's language and headings, every chart drawn with marks, a title, axis
// labels, a legend and its numbers in a table; no script errors; nothing fetched but the
// file itself; no chart wider than the screen or an A4 page. Leaves a full-page
// screenshot of the Kota Batu comparison.
//
// Usage (run_report.sh calls it): node report.mjs <folder with the reports> <out-dir> <node_modules dir>
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [work, outDir, modules] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), 'report.cjs'));
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.BERDAYA_CHROMIUM || '/usr/bin/chromium';
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

const COMPARE_CHARTS = [
  'brief-groups', 'survival', 'causes-kota-batu', 'over-time-income', 'over-time-poverty',
  'effect-income', 'effect-transfer', 'effect-poverty', 'diff-income', 'diff-transfer', 'diff-poverty',
  'cost-per-active-36', 'cost-per-rupiah',
  'indicator-effectiveness', 'indicator-responsiveness', 'indicator-accountability',
];
// With two replicates, a Morris point where no group lasts 36 months leaves the cost effects
// undefined, and the chart says so.
const MAY_BE_EMPTY = new Set(['sensitivity-cost-per-active-36']);
const SWEEP_CHARTS = ['sensitivity-active-36', 'sensitivity-income-effect', 'sensitivity-poverty-change',
                      'sensitivity-cost-per-active-36'];

// The calibration: a density per free parameter of the calibration file it ran (a copy of
// scenarios/calibration/kota-batu.toml); its pairwise plots and predictive checks are
// checked as "also there".
const CALIBRATION_CHARTS = [...fs.readFileSync(path.join(work, 'calibration.toml'), 'utf8')
  .matchAll(/\[\[parameter\]\]\s*\nname = "([^"]+)"/g)].map(m => `density-${m[1].replace(/[._]/g, '-')}`);
if (CALIBRATION_CHARTS.length < 8) throw new Error(`calibration.toml: ${CALIBRATION_CHARTS.length} parameters read`);

const REPORTS = [
  {file: 'levers-id.html', lang: 'id', heading: 'Kelangsungan kelompok yang didanai', charts: COMPARE_CHARTS},
  {file: 'levers-en.html', lang: 'en', heading: 'Survival of funded groups', charts: COMPARE_CHARTS},
  {file: 'morris-id.html', lang: 'id', heading: 'Sensitivitas keluaran utama', charts: SWEEP_CHARTS},
  {file: 'morris-en.html', lang: 'en', heading: 'Sensitivity of the key outcomes', charts: SWEEP_CHARTS},
  {file: 'sobol-id.html', lang: 'id', heading: 'Sensitivitas keluaran utama', charts: SWEEP_CHARTS, drawn: true},
  {file: 'calibration-id.html', lang: 'id', heading: 'Pemeriksaan prediktif posterior', charts: CALIBRATION_CHARTS},
  {file: 'calibration-en.html', lang: 'en', heading: 'Posterior predictive check', charts: CALIBRATION_CHARTS},
];

const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
const browser = await chromium.launch({executablePath: CHROMIUM, headless: true, args});
try {
  for (const r of REPORTS) {
    console.log(`# ${r.file}`);
    const url = pathToFileURL(path.join(work, r.file)).href;
    const page = await browser.newPage({viewport: {width: 1366, height: 900}});
    const errors = [];
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
    page.on('pageerror', e => errors.push(String(e)));
    const requests = [];
    page.on('request', q => requests.push(q.url()));
    await page.goto(url, {waitUntil: 'load'});

    check(await page.evaluate(() => document.documentElement.lang) === r.lang, `lang="${r.lang}"`);
    const headings = await page.locator('h2').allTextContents();
    check(headings.some(h => h.includes(r.heading)), `a section "${r.heading}"`);

    const charts = await page.evaluate(() => [...document.querySelectorAll('svg.chart')].map(svg => ({
      id: svg.dataset.chart,
      marks: svg.querySelectorAll('g.lines path, g.lines circle, g.rows rect, g.rows circle, g.rows path, ' +
                                  'g.points circle').length,
      empty: svg.querySelector('.empty-note') !== null,
      title: (svg.querySelector('text.title') || {}).textContent || '',
      axisLabels: [...svg.querySelectorAll('.axis-label')].filter(t => t.textContent.trim()).length,
      legend: svg.querySelectorAll('g.legend text').length,
      table: document.querySelectorAll(`table.data[data-for="${svg.dataset.chart}"] tbody tr`).length,
    })));
    const ids = charts.map(c => c.id);
    check(new Set(ids).size === ids.length, `${ids.length} charts, every data-chart id unique`);
    for (const id of r.charts) {
      const c = charts.find(x => x.id === id);
      if (!c) { check(false, `chart ${id} present`); continue; }
      const drawn = c.marks > 0 || (!r.drawn && MAY_BE_EMPTY.has(id) && c.empty);
      check(drawn && c.title && c.axisLabels >= 1 && c.legend >= 1 && c.table > 0,
            `chart ${id}: ${c.marks} marks${c.empty ? ' (n/a)' : ''}, title, ${c.axisLabels} axis labels, ` +
            `${c.legend} legend entries, ${c.table} table rows`);
    }
    for (const c of charts.filter(x => !r.charts.includes(x.id)))
      check(c.marks > 0 && c.title && c.legend >= 1 && c.table > 0, `chart ${c.id} (also there) is drawn with its numbers`);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 0, `no sideways scrolling on a laptop screen (${overflow}px)`);
    // Printed on A4 (210 mm less 24 mm of margins is about 700 CSS pixels): charts fit the width.
    await page.setViewportSize({width: 700, height: 900});
    await page.emulateMedia({media: 'print'});
    const wide = await page.evaluate(() => [...document.querySelectorAll('svg.chart')]
      .filter(s => s.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(s => s.dataset.chart));
    check(wide.length === 0, `printed, every chart fits an A4 page ${wide.join(' ')}`);
    await page.emulateMedia({media: 'screen'});
    await page.setViewportSize({width: 1366, height: 900});

    const others = requests.filter(u => u !== url);
    check(others.length === 0, `nothing requested but the file itself ${others.join(' ')}`);
    check(errors.length === 0, `no console or page errors ${errors.join(' | ')}`);
    if (r.file.startsWith('levers-')) {
      // The brief for the head of the office: the first section, the options ranked 1, 2, ...
      // with a total cost each, at the widths of an office laptop and a desktop screen.
      const first = await page.evaluate(() => document.querySelector('main section').id);
      check(first === 'brief', `the brief is the first section (${first})`);
      const rows = await page.evaluate(() => [...document.querySelectorAll('#brief-table tbody tr')].map(tr => ({
        rank: Number(tr.dataset.rank), cost: Number(tr.dataset.costTotal),
        shown: tr.children[2].textContent.trim(),
      })));
      // Ranked from 1, in order; options with the same figure share a rank.
      check(rows.length >= 2 && rows[0].rank === 1 &&
            rows.every((x, i) => x.rank >= 1 && x.rank <= i + 1 && (i === 0 || x.rank >= rows[i - 1].rank)),
            `the brief ranks ${rows.length} options from 1 (${rows.map(x => x.rank).join(' ')})`);
      check(rows.every(x => x.cost > 0 && /\d/.test(x.shown)), 'every option shows its total cost');
      // No word of the other language in what the page shows (settings and file names, in
      // <code> and <pre>, are not prose).
      const visible = await page.evaluate(() => {
        const copy = document.body.cloneNode(true);
        copy.querySelectorAll('pre, code, style, script').forEach(e => e.remove());
        return copy.textContent.toLowerCase();
      });
      const foreign = r.lang === 'id'
        ? ['the', 'and', 'with', 'groups', 'income', 'cost', 'month', 'baseline', 'failed', 'run', 'poverty',
           'option', 'summary', 'billion', 'million', 'seed', 'draw', 'appendix', 'not']
        : ['dan', 'yang', 'kelompok', 'bulan', 'biaya', 'dengan', 'untuk', 'tidak', 'pendapatan', 'kemiskinan',
           'miliar', 'juta', 'pilihan', 'lampiran', 'undian'];
      const found = foreign.filter(w => new RegExp(`(^|[^a-z])${w}([^a-z]|$)`).test(visible));
      check(found.length === 0, `no untranslated word on the ${r.lang} page (${found.join(', ')})`);
      const sentences = await page.locator('#brief-findings li').count();
      check(sentences >= 5, `the brief says its answers in ${sentences} sentences`);
      for (const width of [1024, 1440]) {
        await page.setViewportSize({width, height: 900});
        const sideways = await page.evaluate(() => {
          const b = document.querySelector('#brief');
          return Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth,
                          b.scrollWidth - b.clientWidth);
        });
        check(sideways <= 0, `at ${width} px the brief fits the width (${sideways}px over)`);
        const shot = path.join(outDir, `report-brief-${r.lang}-${width}.png`);
        await page.locator('#brief').screenshot({path: shot});
        console.log(`screenshot: ${shot}`);
      }
      await page.setViewportSize({width: 1366, height: 900});
      if (r.lang === 'id') {
        const shot = path.join(outDir, 'report-kota-batu.png');
        await page.screenshot({path: shot, fullPage: true});
        console.log(`screenshot: ${shot}`);
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(failures ? `${failures} checks failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
