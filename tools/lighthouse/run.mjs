// Lighthouse (mobile) on a list of URLs with one Chromium, for benchmarks/lighthouse.py.
//
//   node run.mjs URL... > results.jsonl
//
// One JSON line per URL: the four category scores (0-100), the failing audits, the bytes transferred
// and the console errors. CHROME_PATH names the browser; CHROME_FLAGS (space-separated) its flags.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const DEFAULT_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

function summarize(lhr) {
  const scores = {};
  const failing = [];
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    scores[id] = category.score === null ? null : Math.round(category.score * 100);
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        failing.push({category: id, id: ref.id, score: audit.score, value: audit.displayValue || ''});
      }
    }
  }
  const requests = lhr.audits['network-requests'].details?.items || [];
  const consoleItems = lhr.audits['errors-in-console'].details?.items || [];
  return {
    url: lhr.finalDisplayedUrl,
    scores,
    failing,
    transfer_bytes: lhr.audits['total-byte-weight'].numericValue,
    requests: requests.map(r => ({url: r.url, status: r.statusCode, transfer: r.transferSize, bytes: r.resourceSize})),
    console_errors: consoleItems.map(item => `${item.source}: ${item.description} ${item.sourceLocation?.url || ''}`.trim()),
    metrics: Object.fromEntries(
      ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
        .map(id => [id, lhr.audits[id].displayValue]),
    ),
    runtime_error: lhr.runtimeError?.message || null,
    // Lighthouse's CPU benchmark of this machine at the time: low values (busy or slow CPU) inflate TBT.
    benchmark_index: lhr.environment?.benchmarkIndex ?? null,
  };
}

const urls = process.argv.slice(2);
const flags = process.env.CHROME_FLAGS ? process.env.CHROME_FLAGS.split(' ').filter(Boolean) : DEFAULT_FLAGS;
const chrome = await chromeLauncher.launch({chromePath: process.env.CHROME_PATH, chromeFlags: flags});
try {
  for (const url of urls) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: CATEGORIES,
      formFactor: 'mobile',  // Lighthouse's default: Moto G Power screen, slow 4G, 4x CPU slowdown
    });
    process.stdout.write(JSON.stringify(summarize(result.lhr)) + '\n');
  }
} finally {
  await chrome.kill();
}
