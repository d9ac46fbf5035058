// Drives the trainer page in Debian's Chromium: loads it, sets a lever, sets up, runs 24
// months, and checks the charts (scaled to their lines, axis titles, locale numbers, the
// difference view), the event feed, the map and its legend, inspecting a group and a
// household, the Info panel, lever tooltips and reset, the layout at 1024 and 1440 px in
// both languages with no untranslated text, and that two browsers each have their own
// simulation. The console must stay free of errors. Leaves screenshots in the out dir.
//
// Usage (run_e2e.sh calls it): node e2e.mjs <berdaya> <repo> <out-dir> <node_modules dir>
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';

const [binary, repo, outDir, modules] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), 'e2e.cjs'));
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.BERDAYA_CHROMIUM || '/usr/bin/chromium';
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

// English words of the page's own text that must not appear on the Indonesian page.
const ENGLISH = ['Seed', 'seed', 'Set up', 'Step', 'Run', 'Pause', 'Speed', 'Events', 'Month', 'Mentor', 'Scenario', 'Levers',
                 'active', 'preparing', 'at risk', 'left', 'formed', 'received', 'grant', 'members', 'household',
                 'Groups', 'income', 'poverty', 'baseline', 'Difference', 'Reset', 'Close', 'What is it',
                 'How it works', 'Things to try', 'Capital', 'Cohesion', 'History', 'months/s', 'without',
                 'with your', 'shared out', 'business', 'conflict', 'disaster', 'Village', 'Sub-district', 'Charts',
                 'No data', 'Loading', 'the ', ' and ', ' of '];

function startServer() {
  const proc = spawn(binary, ['serve', path.join(repo, 'scenarios', 'kota-batu.toml'), '--port', '0'],
                     {stdio: ['ignore', 'ignore', 'pipe']});
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + text)), 60000);
    proc.stderr.on('data', chunk => {
      text += chunk;
      const m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({proc, url: `http://127.0.0.1:${m[1]}/`});
      }
    });
    proc.on('exit', code => reject(new Error(`server exited with ${code}:\n${text}`)));
  });
}

const server = await startServer();
const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
const browser = await chromium.launch({executablePath: CHROMIUM, headless: true, args});
const errors = [];
const outside = [];

// A fresh browser session (its own cookie jar) with the console watched.
async function openPage(width, height = 1000, query = '') {
  const context = await browser.newContext({viewport: {width, height}});
  const page = await context.newPage();
  const tag = `[${width}px${query}]`;
  page.on('console', m => { if (m.type() === 'error') errors.push(`${tag} ${m.text()}`); });
  page.on('pageerror', e => errors.push(`${tag} ${e}`));
  page.on('requestfailed', r => errors.push(`${tag} request failed: ${r.url()}`));
  page.on('request', r => { if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) outside.push(r.url()); });
  await page.goto(server.url + query);
  await page.waitForSelector('#levers .lever');
  await page.waitForFunction(() => document.querySelector('#kpis dd'));
  return {context, page};
}

const monthOf = page => page.evaluate(() => parseInt(document.querySelector('#kpis dd').textContent, 10));
const ticksOf = (page, id) => page.evaluate(i => document.getElementById(i).dataset.ticks.split('|').filter(Boolean), id);
// A tick label as a number, in either locale ("2,3 jt" -> 2.3, "1,250" in English -> 1250).
function tickValue(s, lang) {
  let x = s.replace(/[^\d,.\-−+]/g, '').replace('−', '-');
  x = lang === 'id' ? x.replace(/\./g, '').replace(',', '.') : x.replace(/,/g, '');
  return parseFloat(x);
}

try {
  const {context: ctxA, page} = await openPage(1440);
  check(await page.evaluate(() => document.documentElement.lang) === 'id', 'the page opens in Indonesian');
  check((await page.textContent('#setup')).trim() === 'Siapkan', 'the buttons speak Indonesian');
  const leverCount = await page.locator('#levers .lever').count();
  check(leverCount >= 8, `${leverCount} levers on the page`);
  const cookies = await ctxA.cookies();
  const session = cookies.find(c => c.name === 'berdaya_session');
  check(session && session.httpOnly && session.sameSite === 'Strict', 'the session cookie is HttpOnly and SameSite=Strict');
  check(await page.evaluate(() => document.cookie.includes('berdaya_session')) === false,
        'the page script cannot read the session cookie');

  // Month 0: no ticks at all rather than "1 1 1 0 0" or "0k".
  for (const id of ['chart-income', 'chart-poverty', 'chart-active']) {
    const ticks = await ticksOf(page, id);
    check(ticks.length === 0, `${id} at month 0 has no value ticks (${ticks.join(' ')})`);
  }
  check((await page.textContent('#chart-income')).includes('Belum ada data'), 'an empty chart says there is no data yet');
  const titles = await page.locator('#chart-income text.title').allTextContents();
  check(titles.includes('Rp per bulan') && titles.includes('Bulan'), `the income chart has axis titles (${titles})`);

  // Lever tooltips: the page's Indonesian text; the server's description in English.
  const info = await page.evaluate(() => fetch('/api/info').then(r => r.json()));
  const tipId = await page.getAttribute('.lever[data-name="socialization.sessions"]', 'title');
  check(/sosialisasi/i.test(tipId) && /Nilai skenario: 1/.test(tipId), `an Indonesian tooltip on a lever: "${tipId}"`);

  const chartBefore = await page.innerHTML('#chart-active');
  const incomeBefore = await page.innerHTML('#chart-income');
  const feedBefore = await page.locator('#feed li[data-kind]').count();

  // Reset: a changed lever goes back to the scenario's value.
  const slider = page.locator('.lever[data-name="socialization.sessions"] input');
  await slider.fill('6');
  check(await page.locator('.lever.changed').count() === 1, 'a changed lever is marked');
  await page.click('#reset');
  check(await page.locator('.lever.changed').count() === 0 &&
        (await page.textContent('.lever[data-name="socialization.sessions"] output')).trim() === '1',
        'reset puts the levers back to the scenario');

  // A lever: three socialization sessions instead of the scenario's one.
  await slider.fill('3');
  check((await page.textContent('.lever[data-name="socialization.sessions"] output')).trim() === '3',
        'the lever shows its new value');
  await page.click('.lever[data-name="training.who"] button[data-value="officers"]');
  await page.click('#setup');
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('bulan 0'));

  // Run at full speed, pause once 24 months have passed.
  await page.locator('#speed').fill('12');
  await page.click('#run');
  await page.waitForFunction(() => parseInt(document.querySelector('#kpis dd').textContent, 10) >= 24, null,
                             {timeout: 60000});
  // Pause in the same task that reads the month: only a step already in flight may land
  // after it (a click sent from here arrives after an unknown delay on a loaded machine).
  const shown = await page.evaluate(() => {
    const m = parseInt(document.querySelector('#kpis dd').textContent, 10);
    document.querySelector('#run').click();
    return m;
  });
  await page.waitForTimeout(1000);
  const month = await monthOf(page);
  await page.waitForTimeout(600);
  const later = await monthOf(page);
  check(shown >= 24 && month >= shown && month <= shown + 1 && later === month,
        `paused at month ${month} (month ${shown} shown at the click, ${later} later)`);
  const state = await page.evaluate(() => fetch('/api/state').then(r => r.json()));
  check(state.levers['socialization.sessions'] === 3 && state.levers['training.who'] === 'officers',
        'the server runs with the levers set on the page');

  check((await page.innerHTML('#chart-active')) !== chartBefore, 'the active-groups chart changed');
  check((await page.innerHTML('#chart-income')) !== incomeBefore, 'the income chart changed');
  check(await page.locator('#chart-active path.run').count() === 1 &&
        await page.locator('#chart-active path.baseline').count() === 1, 'run and baseline drawn side by side');

  // Auto-scaled axes: the income axis spans the lines, not 0 to the top.
  const income = state.series.run.income_members.concat(state.series.baseline.income_members,
                                                         state.series.run.income_members_cf).filter(v => v !== null);
  const incomeTicks = await ticksOf(page, 'chart-income');
  const low = tickValue(incomeTicks[0], 'id') * (incomeTicks[0].includes('jt') ? 1e6 : incomeTicks[0].includes('rb') ? 1e3 : 1);
  check(incomeTicks.length >= 3 && Math.min(...income) > 0 && low > 0 && low <= Math.min(...income),
        `the income axis starts near its lines, not at 0 (${incomeTicks.join(' ')})`);
  check(new Set(incomeTicks).size === incomeTicks.length, 'income ticks all differ');
  const povertyTicks = await ticksOf(page, 'chart-poverty');
  const poverty = state.series.run.poverty_members.concat(state.series.baseline.poverty_members).filter(v => v !== null);
  check(tickValue(povertyTicks[povertyTicks.length - 1], 'id') / 100 >= Math.max(...poverty) &&
        tickValue(povertyTicks[povertyTicks.length - 1], 'id') < 100 + 1e-9 && new Set(povertyTicks).size === povertyTicks.length,
        `the poverty axis spans its lines (${povertyTicks.join(' ')})`);
  // Locale numbers: comma decimals, dot thousands, Indonesian units only.
  const allTicksId = (await ticksOf(page, 'chart-income')).concat(povertyTicks, await ticksOf(page, 'chart-active'));
  check(!allTicksId.some(s => /\d\.\d{1,2}(?!\d)/.test(s) || /\dk\b|\bM\b/.test(s)),
        `Indonesian ticks use comma decimals and jt/rb (${allTicksId.join(' ')})`);
  const costText = await page.textContent('#kpis');
  check(/Rp [\d.,]+ (jt|M|rb)/.test(costText) && !/\d\.\d(?!\d\d)/.test(costText.replace(/\d{1,3}(\.\d{3})+/g, 'N')),
        `the figures read in Indonesian style (${costText.replace(/\s+/g, ' ')})`);

  // The difference view: with-levers minus baseline, around a zero line.
  await page.check('#diff');
  const diffTicks = await ticksOf(page, 'chart-income');
  check(await page.locator('#chart-income path.baseline').count() === 0 &&
        await page.locator('#chart-income line.zero').count() === 1,
        `the difference view plots one line against zero (${diffTicks.join(' ')})`);
  check((await page.locator('#chart-income text.title').allTextContents()).some(s => s.startsWith('selisih')),
        'the difference view says so on its axis');
  await page.screenshot({path: path.join(outDir, 'trainer-e2e-difference.png'), fullPage: true});
  await page.uncheck('#diff');

  const feedAfter = await page.locator('#feed li[data-kind]').count();
  check(feedAfter > feedBefore, `the event feed grew (${feedBefore} -> ${feedAfter})`);
  const feedText = await page.textContent('#feed');
  check(/Bulan \d+: KUBE \S+/.test(feedText), 'events read "Bulan N: KUBE <name>, <village>, ..."');
  check(feedText.includes('terbentuk'), 'formation is reported');
  check(feedText.includes('dana UEP'), 'funding is reported');
  const inked = await page.evaluate(() => {
    const c = document.querySelector('#map');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) n += 1;
    return n / (c.width * c.height);
  });
  check(inked > 0.02, `the map is drawn (${(inked * 100).toFixed(1)}% of pixels)`);

  // The legend: every group state its own colour, each with a label.
  const legend = await page.evaluate(() => [...document.querySelectorAll('#legend li')].map(li => {
    const c = li.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    // The most frequent opaque colour other than the white outline.
    const count = new Map();
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] < 250 || (d[i] > 240 && d[i + 1] > 240 && d[i + 2] > 240)) continue;
      const k = `${d[i]},${d[i + 1]},${d[i + 2]}`;
      count.set(k, (count.get(k) || 0) + 1);
    }
    const top = [...count.entries()].sort((a, b) => b[1] - a[1])[0];
    return {state: li.dataset.state, text: li.textContent.trim(), color: top ? top[0] : ''};
  }));
  const groupStates = ['preparing', 'active', 'risk', 'grant_split', 'business_losses', 'member_withdrawal', 'conflict',
                       'catastrophe'];
  const stateColors = groupStates.map(s => (legend.find(l => l.state === s) || {}).color);
  check(stateColors.every(Boolean) && new Set(stateColors).size === groupStates.length,
        `each group state has its own colour in the legend (${stateColors.join(' / ')})`);
  check(legend.find(l => l.state === 'risk').text === 'berisiko' && legend.find(l => l.state === 'grant_split').text === 'dana dibagi',
        'the legend names the states');

  // Labels on the map: no two drawn labels overlap (the page places them); every group
  // has a mark to click or hover.
  const targets = await page.evaluate(() => [...document.querySelectorAll('#map-targets button')].map(b => ({
    id: Number(b.dataset.group), x: Number(b.dataset.x), y: Number(b.dataset.y), text: b.textContent})));
  check(targets.length > 0, `${targets.length} groups on the map of this sub-district`);

  // Click a group's mark on the map: its panel opens with members, capital, cohesion, history.
  const box = await page.locator('#map').boundingBox();
  const target = targets[0];
  await page.mouse.move(box.x + target.x, box.y + target.y);
  await page.waitForSelector('#map-tip:not([hidden])');
  check((await page.textContent('#map-tip')).includes(target.text.split(',')[0]), 'hovering a mark names its group');
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.waitForSelector('#inspect:not([hidden]) #inspect-body[data-group]');
  const panel = await page.textContent('#inspect');
  const group = await page.evaluate(id => fetch(`/api/group/${id}`).then(r => r.json()), target.id);
  check((await page.textContent('#inspect-title')).trim() === group.name, `clicking the map opens ${group.name}`);
  check(['Anggota', 'Modal', 'Kekompakan', 'Riwayat'].every(w => panel.includes(w)),
        'the group panel shows members, capital, cohesion and history');
  check(await page.locator('#inspect table.people tr').count() === group.people.length + 1,
        `the panel lists the group's ${group.people.length} members`);
  check(await page.locator('#inspect ol.history li[data-kind]').count() === group.events.length && group.events.length > 0,
        `the panel lists the group's ${group.events.length} events`);
  await page.screenshot({path: path.join(outDir, 'trainer-e2e-group.png'), fullPage: false});
  // A member's row opens the household.
  await page.click('#inspect table.people tr:nth-child(2)');
  await page.waitForSelector('#inspect-body[data-household]');
  check((await page.textContent('#inspect')).includes('Garis kemiskinan'), 'a member row opens its household');
  await page.click('#inspect-close');
  check(await page.isHidden('#inspect'), 'the panel closes');

  // Info panel.
  await page.click('#info-toggle');
  const infoText = await page.textContent('#info');
  check(await page.isVisible('#info') && ['Apa ini', 'Cara kerjanya', 'Hal yang bisa dicoba'].every(w => infoText.includes(w)),
        'the Info panel says what it is, how it works and things to try');

  // The whole visible Indonesian page: no English of the page's own.
  const visible = await page.evaluate(() => document.body.innerText + ' ' +
    [...document.querySelectorAll('[title]')].map(e => e.title).join(' ') + ' ' +
    [...document.querySelectorAll('svg text')].map(e => e.textContent).join(' '));
  const english = ENGLISH.filter(w => new RegExp(`(^|[^A-Za-z])${w.trim()}([^A-Za-z]|$)`).test(visible));
  check(english.length === 0, `no untranslated text on the Indonesian page (${english.join(', ')})`);
  await page.screenshot({path: path.join(outDir, 'trainer-e2e.png'), fullPage: true});

  await page.click('#lang-en');
  check((await page.textContent('#setup')).trim() === 'Set up', 'the language switch turns the page English');
  const feedEn = await page.textContent('#feed');
  check(/Month \d+: KUBE \S+/.test(feedEn) && feedEn.includes('formed'), 'the event feed in English');
  const infoEn = await page.textContent('#info');
  check(['What is it', 'How it works', 'Things to try'].every(w => infoEn.includes(w)), 'the Info panel in English');
  const sessions = info.levers.find(l => l.name === 'socialization.sessions');
  const tipEn = await page.getAttribute('.lever[data-name="socialization.sessions"]', 'title');
  check(tipEn.startsWith(sessions.description), `the English tooltip is the server's description: "${tipEn}"`);
  const ticksEn = (await ticksOf(page, 'chart-income')).concat(await ticksOf(page, 'chart-poverty'));
  check(!ticksEn.some(s => /\d,\d{1,2}(?!\d)/.test(s) || /jt|rb/.test(s)), `English ticks use dot decimals (${ticksEn.join(' ')})`);
  await page.click('#info-close');
  await page.click('#lang-id');

  // A bad value from a client is refused and the page keeps working.
  // (From outside the page, so the expected 400 is not a console error.)
  const bad = await page.request.post(server.url + 'api/setup', {data: {levers: {'socialization.sessions': 99}}});
  check(bad.status() === 400, 'an out-of-range lever is refused with 400');
  check(await page.evaluate(() => document.querySelectorAll('#feed li[data-kind]').length) === feedAfter,
        'the page is unchanged by the refused request');

  // A second browser: its own simulation at month 0; stepping it leaves the first alone.
  const {context: ctxB, page: pageB} = await openPage(1440);
  check(await monthOf(pageB) === 0, 'a second browser starts its own simulation at month 0');
  const stateB = await pageB.evaluate(() => fetch('/api/state').then(r => r.json()));
  check(Object.keys(stateB.levers).length === 0, 'the second browser has the scenario\'s levers, not the first one\'s');
  await pageB.click('#step');
  await pageB.waitForFunction(() => parseInt(document.querySelector('#kpis dd').textContent, 10) === 1);
  await pageB.click('#setup');
  await pageB.waitForFunction(() => document.querySelector('#message').textContent.includes('bulan 0'));
  const stateA = await page.evaluate(() => fetch('/api/state').then(r => r.json()));
  check(stateA.month === month && stateA.levers['socialization.sessions'] === 3,
        `the first browser's run is untouched (month ${stateA.month})`);
  await page.click('#step');
  await page.waitForFunction(m => parseInt(document.querySelector('#kpis dd').textContent, 10) === m + 1, month);
  check(await monthOf(pageB) === 0 &&
        (await pageB.evaluate(() => fetch('/api/state').then(r => r.json()))).month === 0,
        'stepping the first browser leaves the second at month 0');
  // A reload keeps the browser's own run.
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#kpis dd'));
  check(await monthOf(page) === month + 1, 'a reload keeps the browser\'s run');
  await ctxB.close();
  await ctxA.close();

  // The layout at 1024 and 1440 px, in both languages: nothing wider than the window, the
  // speed control inside its panel, no untranslated text on the Indonesian page.
  for (const width of [1024, 1440]) {
    for (const lang of ['id', 'en']) {
      const {context, page: p} = await openPage(width, 900, `?lang=${lang}`);
      await p.click('#step');
      await p.waitForFunction(() => parseInt(document.querySelector('#kpis dd').textContent, 10) === 1);
      check(await p.evaluate(() => document.documentElement.lang) === lang, `${width}px ${lang}: the page is in ${lang}`);
      const layout = await p.evaluate(() => {
        const c = document.querySelector('#controls').getBoundingClientRect();
        const out = [];
        for (const e of document.querySelectorAll('#controls *')) {
          const r = e.getBoundingClientRect();
          if (r.width && (r.right > c.right + 0.5 || r.left < c.left - 0.5)) out.push(e.id || e.className || e.tagName);
        }
        for (const e of document.querySelectorAll('#controls .row, #controls .buttons, .lever .name'))
          if (e.scrollWidth > e.clientWidth + 1) out.push((e.id || e.className) + ' overflows');
        return {wide: document.documentElement.scrollWidth - window.innerWidth, out};
      });
      check(layout.wide <= 0, `${width}px ${lang}: no horizontal scrolling (${layout.wide} px too wide)`);
      check(layout.out.length === 0, `${width}px ${lang}: the controls fit their panel ${layout.out.join(', ')}`);
      const speed = await p.evaluate(() => {
        const o = document.querySelector('#speed-out').getBoundingClientRect();
        const c = document.querySelector('#controls').getBoundingClientRect();
        return o.right <= c.right && o.width > 0;
      });
      check(speed, `${width}px ${lang}: the speed label stays inside the controls`);
      if (lang === 'id') {
        const text = await p.evaluate(() => document.body.innerText);
        const found = ENGLISH.filter(w => new RegExp(`(^|[^A-Za-z])${w.trim()}([^A-Za-z]|$)`).test(text));
        check(found.length === 0, `${width}px id: no untranslated text (${found.join(', ')})`);
      }
      await p.screenshot({path: path.join(outDir, `trainer-e2e-${width}-${lang}.png`), fullPage: true});
      await context.close();
    }
  }

  check(outside.length === 0, `nothing loaded from elsewhere ${outside.join(' ')}`);
  check(errors.length === 0, `no console errors ${errors.join(' | ')}`);
  console.log(`screenshots: ${path.join(outDir, 'trainer-e2e*.png')}`);
} finally {
  await browser.close();
  server.proc.kill('SIGTERM');
}
console.log(failures ? `${failures} checks failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
