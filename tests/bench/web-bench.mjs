// The web app on a trainer's phone: bytes and time of a first visit (cold cache, no service worker)
// to the cohorts list and to an attendance sheet, on loopback and on an emulated weak mobile link
// (Chromium's network emulation: 750 kbit/s down, 250 kbit/s up, 300 ms round trip, CPU 4× slower).
// Run by tests/bench/run-web-bench, which sets up the database and the environment of the harness.
import { apiAs, launchBrowser, newPage, signIn, startService } from '../browser/harness.mjs';

const runs = Number(process.env.BENCH_RUNS || 5);
const profiles = [
  { name: 'loopback', network: null, cpu: 1 },
  {
    name: 'weak mobile link (750/250 kbit/s, 300 ms RTT, CPU ×4)',
    network: { offline: false, latency: 300, downloadThroughput: (750 * 1024) / 8, uploadThroughput: (250 * 1024) / 8 },
    cpu: 4,
  },
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const service = await startService({ prefix: 'bench' });
const browser = await launchBrowser();
try {
  const trainer = await apiAs(service, 'trainer.nura');
  const cohort = (await trainer.get('/cohorts')).json.items[0].id;
  const session = (await trainer.get(`/cohorts/${cohort}/sessions`)).json.items[0].id;
  const pages = [
    { name: 'cohorts list', path: '/app/cohorts', ready: 'main a[href^="/app/cohorts/"]' },
    { name: 'attendance sheet', path: `/app/sessions/${session}?cohort=${cohort}`, ready: 'button.att-row' },
  ];
  console.log('| page | link | transferred (KB, compressed) | requests | time to usable, median of ' + runs + ' (ms) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const profile of profiles) {
    for (const target of pages) {
      const times = [];
      let bytes = 0;
      let requests = 0;
      for (let run = 0; run < runs; run += 1) {
        const page = await newPage(browser, { serviceWorkers: 'block' });
        await signIn(page, service, 'trainer.nura');
        const cold = await page.context().newPage();
        const cdp = await page.context().newCDPSession(cold);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        if (profile.network) await cdp.send('Network.emulateNetworkConditions', profile.network);
        if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
        let transferred = 0;
        let count = 0;
        cdp.on('Network.loadingFinished', (event) => {
          transferred += event.encodedDataLength;
          count += 1;
        });
        const started = Date.now();
        await cold.goto(`${service.url}${target.path}`, { waitUntil: 'commit' });
        await cold.locator(target.ready).first().waitFor({ timeout: 120000 });
        times.push(Date.now() - started);
        await cold.waitForLoadState('networkidle');
        bytes = transferred;
        requests = count;
        await page.context().close();
      }
      console.log(`| ${target.name} | ${profile.name} | ${(bytes / 1024).toFixed(1)} | ${requests} | ${median(times)} |`);
    }
  }
} finally {
  await browser.close();
  await service.stop();
}
