// Drives the trainer page in Debian's Chromium: loads it, sets a lever, sets up, runs 24
// months, and checks that the charts and the event feed moved, the map is drawn, the
// language switch works and the console stayed free of errors. Leaves a screenshot.
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
try {
  const page = await browser.newPage({viewport: {width: 1600, height: 1050}});
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('requestfailed', r => errors.push(`request failed: ${r.url()}`));
  const outside = [];
  page.on('request', r => { if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) outside.push(r.url()); });

  await page.goto(server.url);
  await page.waitForSelector('#levers .lever');
  check(await page.evaluate(() => document.documentElement.lang) === 'id', 'the page opens in Indonesian');
  check((await page.textContent('#setup')).trim() === 'Siapkan', 'the buttons speak Indonesian');
  const leverCount = await page.locator('#levers .lever').count();
  check(leverCount >= 8, `${leverCount} levers on the page`);

  const chartBefore = await page.innerHTML('#chart-active');
  const incomeBefore = await page.innerHTML('#chart-income');
  const feedBefore = await page.locator('#feed li[data-kind]').count();

  // A lever: three socialization sessions instead of the scenario's one.
  const slider = page.locator('.lever[data-name="socialization.sessions"] input');
  await slider.fill('3');
  check((await page.textContent('.lever[data-name="socialization.sessions"] output')).trim() === '3',
        'the lever shows its new value');
  await page.click('.lever[data-name="training.who"] button[data-value="officers"]');
  await page.click('#setup');
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('bulan 0'));

  // Run at full speed, pause once 24 months have passed.
  await page.locator('#speed').fill('12');
  await page.click('#run');
  const monthNow = () => page.evaluate(() => parseInt(document.querySelector('#kpis dd').textContent, 10));
  await page.waitForFunction(() => parseInt(document.querySelector('#kpis dd').textContent, 10) >= 24, null,
                             {timeout: 60000});
  await page.click('#run');
  await page.waitForTimeout(400);
  const month = await monthNow();
  check(month >= 24 && month <= 27, `paused at month ${month}`);
  const state = await page.evaluate(() => fetch('/api/state').then(r => r.json()));
  check(state.levers['socialization.sessions'] === 3 && state.levers['training.who'] === 'officers',
        'the server runs with the levers set on the page');

  check((await page.innerHTML('#chart-active')) !== chartBefore, 'the active-groups chart changed');
  check((await page.innerHTML('#chart-income')) !== incomeBefore, 'the income chart changed');
  check(await page.locator('#chart-active path.run').count() === 1 &&
        await page.locator('#chart-active path.baseline').count() === 1, 'run and baseline drawn side by side');
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

  await page.click('#lang-en');
  check((await page.textContent('#setup')).trim() === 'Set up', 'the language switch turns the page English');
  const feedEn = await page.textContent('#feed');
  check(/Month \d+: KUBE \S+/.test(feedEn) && feedEn.includes('formed'), 'the event feed in English');
  await page.click('#lang-id');

  // A bad value from a client is refused and the page keeps working.
  // (From outside the page, so the expected 400 is not a console error.)
  const bad = await page.request.post(server.url + 'api/setup', {data: {levers: {'socialization.sessions': 99}}});
  check(bad.status() === 400, 'an out-of-range lever is refused with 400');
  check(await page.evaluate(() => document.querySelectorAll('#feed li[data-kind]').length) === feedAfter,
        'the page is unchanged by the refused request');
  check(outside.length === 0, `nothing loaded from elsewhere ${outside.join(' ')}`);
  check(errors.length === 0, `no console errors ${errors.join(' | ')}`);

  const shot = path.join(outDir, 'trainer-e2e.png');
  await page.screenshot({path: shot, fullPage: true});
  console.log(`screenshot: ${shot}`);
} finally {
  await browser.close();
  server.proc.kill('SIGTERM');
}
console.log(failures ? `${failures} checks failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
