// Writes src/app/join-path.funcs: the functions that go into groupcall.wasm, the half of
// the module a kiosk link loads before it joins (issue 12, src/app/CMakeLists.txt). Run it
// after changing code on the join's path (the build warns when names in the list are gone;
// the kiosk e2e test fails when a kiosk's join had to load the other half early):
//
//   node tests/bench/split-profile.mjs [BUILD_DIR]        (default build/web)
//
// It serves BUILD_DIR/www with BUILD_DIR/groupcall.instrumented.wasm in place of the first
// half (the whole module, counting which functions run: wasm-split --instrument, made by
// the link) and runs kiosk links (kiosk=1&publish=1) through their joins, with WebGL2
// refused so no canvas code runs: 2 pages at once, 4 at once, a late joiner, a room that
// someone joins later, a receive-only kiosk (publish=0) joining two. Once every page shows its first remote video, each page's state()
// is read once (the test hook, which tests call from the start) and its profile written.
// wasm-split merges the profiles and lists the functions that ran; the list also keeps
// every embind invoker and dynCall thunk (the glue caches those table entries when they
// are registered, so a placeholder there would be called through forever), and the C and
// C++ library's functions except those for the canvas's types (below).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer } from '../e2e/lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const build = path.resolve(process.argv[2] || path.join(root, 'build/web'));
const OUT = path.join(root, 'src/app/join-path.funcs');
const WASM_SPLIT = process.env.WASM_SPLIT || 'wasm-split';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The build's www with the instrumented module as groupcall.wasm.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gc-split-profile-'));
// Gone however this ends (a scenario that throws, wasm-split failing).
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const www = path.join(tmp, 'www');
const profiles = path.join(tmp, 'profiles');
mkdirSync(www);
mkdirSync(profiles);
for (const name of readdirSync(path.join(build, 'www'))) {
  if (name === 'groupcall.wasm') continue;
  symlinkSync(path.join(build, 'www', name), path.join(www, name));
}
symlinkSync(path.join(build, 'groupcall.instrumented.wasm'), path.join(www, 'groupcall.wasm'));

const NO_WEBGL = 'HTMLCanvasElement.prototype.getContext = function () { return null; };';
// The first decoded remote frame: the bench's own probe (window.__ttv.firstFrame).
const FIRST_FRAME = readFileSync(path.join(here, 'ttv-probe.js'), 'utf8');

// Users whose ids and names take different paths through the formatting code (1 to 10
// digits, one past 2^32; CJK, Latin, Arabic, empty and long prefixes), in rooms of 1 to 10 digits.
const USERS = [1, 23, 456, 7890, 12345, 678901, 2345678, 34567890, 456789012, 2100000000, 98765432101, 67];
writeFileSync(path.join(tmp, 'users.json'), JSON.stringify(USERS.map((id, i) => ({
  id, name: ['张伟', 'Anna', '李娜', 'Ødegård', 'محمد', 'Jean-Luc'][i % 6],
  prefix: ['[研发部]', '', '[Marketing]', '(ext.)'][i % 4], postfix: ['', '(主持人)', ' — guest', ''][i % 4],
}))));
const server = await startServer({ name: 'split-profile', web: www,
                                   args: ['--users', path.join(tmp, 'users.json'), '--log-level', 'quiet'] });
const browser = await launchBrowser({ microphone: 'silent' });
let written = 0;
let nextUser = 0;
async function scenario(name, room, pages, lateMs, lastPublishes = true) {
  const ps = [];
  for (let i = 0; i < pages; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.addInitScript({ content: NO_WEBGL + FIRST_FRAME });
    ps.push(page);
  }
  const publish = (i) => (i === pages - 1 && !lastPublishes ? 0 : 1);
  const users = ps.map(() => USERS[nextUser++ % USERS.length]);
  const url = (i) => `${server.origin}/#room=${room}&user=${users[i]}&lang=${i % 2 ? 'zh' : 'en'}&kiosk=1&publish=${publish(i)}&w=320&h=240&fps=15`;
  if (lateMs) {
    await Promise.all(ps.slice(0, -1).map((p, i) => p.goto(url(i), { waitUntil: 'commit' })));
    await sleep(lateMs);
    await ps[pages - 1].goto(url(pages - 1), { waitUntil: 'commit' });
  } else {
    await Promise.all(ps.map((p, i) => p.goto(url(i), { waitUntil: 'commit' })));
  }
  const t0 = Date.now();
  while (!(await Promise.all(ps.map((p) => p.evaluate(() => window.__ttv.firstFrame !== null)))).every(Boolean)) {
    if (Date.now() - t0 > 30000) throw new Error(`${name}: no first video on every page within 30 s`);
    await sleep(100);
  }
  for (const [i, page] of ps.entries()) {
    const bytes = await page.evaluate(() => {
      window.groupcall.state();
      const m = window.gcModule;
      const memory = Object.values(m.asm).find((v) => v instanceof WebAssembly.Memory);
      const size = 1 << 20;
      const at = m._malloc(size);
      const n = m.asm.__write_profile(at, size);
      return Array.from(new Uint8Array(memory.buffer, at, n));
    });
    writeFileSync(path.join(profiles, `${name}-${i}.prof`), Buffer.from(bytes));
    written++;
  }
  for (const page of ps) await page.context().close();
  console.log(`split-profile: ${name}: ${pages} pages profiled`);
}

try {
  await scenario('two', 7, 2, 0);
  await scenario('four', 4567, 4, 0);
  await scenario('late', 89, 2, 4000);
  await scenario('third', 1234567890, 3, 3000);
  await scenario('viewer', 12345678901, 3, 2000, false);  // a receive-only kiosk joins late
} finally {
  await browser.close();
  await server.stop();
}

const run = (args) => {
  const r = spawnSync(WASM_SPLIT, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${WASM_SPLIT} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout + r.stderr;
};
const merged = path.join(tmp, 'merged.prof');
run(['--merge-profiles', ...readdirSync(profiles).map((f) => path.join(profiles, f)), '-o', merged]);
const verbose = run([path.join(build, 'groupcall.orig.wasm'), '--split', '--enable-mutable-globals',
                     '--export-prefix=%', `--profile=${merged}`, '-o1', path.join(tmp, 'a.wasm'),
                     '-o2', path.join(tmp, 'b.wasm'), '-v']);
// Names are escaped (\2c for a comma, \20 for a space), so ", " separates them.
const list = (label) => (verbose.match(new RegExp(`${label}: (.*)`)) || [null, ''])[1].split(', ').filter(Boolean);
const kept = list('Keeping functions');
// Also kept, run or not: the C and C++ library's functions that are not instantiated for the
// canvas's types. Which of them runs depends on the data (the digits of a room number, a
// string's growth, a table's rehash), so a profile misses some: the first profile here
// ran rooms and users of one digit, and a join to room 1650 then needed the other half
// for std::__itoa::append4.
const UI = /ImGui|Im[A-Z][a-z]|ImVec|stbtt|stbrp|stbi|gc::ui::|gc::render::|Frontend|FontBuilder|font_builder|A11y|a11y|Glyph|Atlas/;
const library = (n) => !UI.test(n) && (/^([a-z*]+\\20)?std::/.test(n) || /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
const glue = list('Splitting out functions').filter((n) => /emscripten::internal::|^dynCall_/.test(n) || library(n));
const names = [...new Set([...kept, ...glue])].sort();
writeFileSync(OUT, [
  '# The functions of groupcall.wasm, the half of the module a kiosk link loads before it joins',
  '# (issue 12; src/app/CMakeLists.txt). Written by tests/bench/split-profile.mjs from the',
  `# functions a kiosk's join ran (${written} pages); edit by running it again, not by hand.`,
  ...names, ''].join('\n'));
console.log(`split-profile: ${kept.length} functions ran, ${glue.length} glue and library functions added; wrote ${path.relative(root, OUT)} (${names.length} names)`);
process.exit(0);
