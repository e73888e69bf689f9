// Headless Chromium smoke test of the frontend demo (build target frontend_demo).
//   node smoke.mjs [dir]        dir defaults to ../../build/web/frontend-demo
// Serves dir on 127.0.0.1 with python3 -m http.server, drives Debian's /usr/bin/chromium
// with playwright-core and writes screenshots + results.json to out/. Exits non-zero when
// a check fails. Checks: first frame and CJK font load, 0 frames while idle, Chinese typed
// through CDP Input.insertText and Input.imeSetComposition, clipboard copy/paste, a dropped
// file, resize, WebGL context loss and restore, no CSP violations.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] || path.join(here, '../../build/web/frontend-demo'));
const out = path.join(here, 'out');
mkdirSync(out, { recursive: true });

const results = { root, checks: [] };
let failed = 0;
function check(name, ok, detail) {
  results.checks.push({ name, ok: !!ok, detail });
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function serve(dir) {
  return new Promise((resolve, reject) => {
    const p = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir],
                    { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (d) => {
      const m = /port (\d+)/.exec(String(d));
      if (m) resolve({ proc: p, port: Number(m[1]) });
    });
    p.on('exit', (code) => reject(new Error('http.server exited ' + code)));
  });
}

const server = await serve(root);
const userDataDir = path.join(out, 'profile-' + process.pid);
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  viewport: { width: 1000, height: 600 },
  deviceScaleFactor: 2,
  permissions: ['clipboard-read', 'clipboard-write'],
});

try {
  const page = context.pages()[0] || await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation',
      (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const url = `http://127.0.0.1:${server.port}/`;
  // Hold the CJK font back for a while: the first frame must not wait for it.
  let releaseFont;
  const fontGate = new Promise((r) => { releaseFont = r; });
  await page.route('**/fonts/*', async (route) => { await fontGate; await route.continue(); });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.gcFrontend && window.gcFrontend.framesDrawn() > 0, null, { timeout: 20000 });
  results.firstFrameMs = Date.now() - t0;
  check('first frame drawn, loading text gone', await page.evaluate(() => !document.getElementById('loading')));
  check('first frame drawn while the CJK font is still loading',
        await page.evaluate(() => window.gcFrontend.cjkFont) === 'pending');
  await sleep(300);
  await page.screenshot({ path: path.join(out, '1-first-frame-no-cjk-yet.png') });
  releaseFont();

  await page.waitForFunction(() => window.gcFrontend.cjkFont !== 'pending', null, { timeout: 20000 });
  check('CJK font loaded after first paint', await page.evaluate(() => window.gcFrontend.cjkFont) === 'loaded',
        await page.evaluate(() => window.gcFrontend.cjkFont));
  await sleep(500);
  await page.screenshot({ path: path.join(out, '2-cjk.png') });

  const canvas = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight, dpr: devicePixelRatio };
  });
  check('backing store = CSS size x devicePixelRatio', canvas.w === canvas.cssW * 2 && canvas.h === canvas.cssH * 2, canvas);

  const frames = () => page.evaluate(() => window.gcFrontend.framesDrawn());
  async function idleFrames(ms) {
    const a = await frames();
    await sleep(ms);
    return (await frames()) - a;
  }
  results.idleFramesNoFocus = await idleFrames(3000);
  check('idle page draws 0 frames in 3 s', results.idleFramesNoFocus === 0, results.idleFramesNoFocus);

  // The demo's InputText sits in the first window, fourth row (see demo_main.cpp).
  const input = { x: 200, y: 127 };
  await page.mouse.click(input.x, input.y);
  await sleep(300);
  check('IME textarea focused while the InputText is active',
        await page.evaluate(() => document.activeElement && document.activeElement.id === 'gc-ime'));
  await page.keyboard.press('End');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.insertText', { text: '你好' });
  await sleep(200);
  await cdp.send('Input.imeSetComposition', { text: '世界', selectionStart: 2, selectionEnd: 2 });
  await sleep(300);
  const duringComposition = await page.evaluate(() => window.gcModule.demoInputText());
  check('composition text is not inserted before it is committed', duringComposition === 'Hi 你好', duringComposition);
  await page.screenshot({ path: path.join(out, '3-composing.png') });
  await cdp.send('Input.insertText', { text: '世界' });  // commits the composition
  await sleep(300);
  const typed = await page.evaluate(() => window.gcModule.demoInputText());
  check('Chinese typed via Input.insertText + Input.imeSetComposition', typed === 'Hi 你好世界', typed);
  await page.keyboard.type(' ok');
  await page.keyboard.press('Backspace');
  await sleep(200);
  const typed2 = await page.evaluate(() => window.gcModule.demoInputText());
  check('keyboard typing and Backspace (no doubled characters)', typed2 === 'Hi 你好世界 o', typed2);
  await page.screenshot({ path: path.join(out, '4-typed.png') });

  results.idleFramesFocusedInput = await idleFrames(3000);
  check('focused text field: only caret frames (<= 3/s)', results.idleFramesFocusedInput <= 9, results.idleFramesFocusedInput);

  // Clipboard: Ctrl+A, Ctrl+C copies through navigator.clipboard; Ctrl+V pastes it back.
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  await sleep(300);
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  check('Ctrl+C copies the selection to the clipboard', clip === 'Hi 你好世界 o', clip);
  results.statsEnd = await page.evaluate(() => window.gcFrontend.stats());
  await page.keyboard.press('End');
  await page.evaluate(() => navigator.clipboard.writeText('粘贴'));
  await page.keyboard.press('Control+V');
  await sleep(300);
  const pasted = await page.evaluate(() => window.gcModule.demoInputText());
  check('Ctrl+V pastes the clipboard once', pasted === 'Hi 你好世界 o粘贴', pasted);

  // Many new characters at once: one atlas rebuild, timed. Then the field is cleared and
  // refilled for the screenshots that follow.
  const many = '天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳推位让国有虞陶唐吊民伐罪周发殷汤坐朝问道垂拱平章爱育黎首臣伏戎羌遐迩一体率宾归王鸣凤在竹白驹食场化被草木赖及万方盖此身发四大五常恭惟鞠养岂敢毁伤女慕贞洁男效才良知过必改得能莫忘罔谈彼短靡恃己长信使可覆器欲难量墨悲丝染诗赞羔羊';
  await cdp.send('Input.insertText', { text: many });
  await sleep(500);
  results.statsAfterManyGlyphs = await page.evaluate(() => window.gcFrontend.stats());
  check('atlas rebuilt for new characters', results.statsAfterManyGlyphs.glyphs > 300, results.statsAfterManyGlyphs);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await cdp.send('Input.insertText', { text: '会议室 3 号' });
  await sleep(300);

  // Click away: the field deactivates, the textarea loses focus, idle is 0 frames again.
  await page.mouse.click(900, 560);
  await sleep(500);
  check('IME textarea blurred when no field is active',
        await page.evaluate(() => !document.activeElement || document.activeElement.id !== 'gc-ime'));
  results.idleFramesAfterBlur = await idleFrames(3000);
  check('idle again after leaving the field: 0 frames in 3 s', results.idleFramesAfterBlur === 0, results.idleFramesAfterBlur);

  // Hovering a button: a delayed follow-up frame (tooltips), then idle again.
  await page.mouse.move(80, 147);
  await sleep(1500);
  results.idleFramesHovering = await idleFrames(3000);
  check('hovering a widget: idle within a second (0 frames in the next 3 s)', results.idleFramesHovering === 0,
        results.idleFramesHovering);
  await page.mouse.move(900, 560);

  // Drag-and-drop a file onto the page.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['hello'], '报告.txt', { type: 'text/plain' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.getElementById('canvas').dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  });
  await sleep(400);
  await page.screenshot({ path: path.join(out, '5-dropped.png') });

  // Resize: the backing store follows.
  await page.setViewportSize({ width: 800, height: 500 });
  await sleep(500);
  const resized = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height };
  });
  check('resize: backing store follows the window', resized.w === 1600 && resized.h === 1000, resized);

  // WebGL context loss and restore.
  const lost = await page.evaluate(async () => {
    const gl = document.getElementById('canvas').getContext('webgl2');
    const ext = gl.getExtension('WEBGL_lose_context');
    if (!ext) return 'no WEBGL_lose_context';
    ext.loseContext();
    await new Promise((r) => setTimeout(r, 200));
    ext.restoreContext();
    await new Promise((r) => setTimeout(r, 500));
    return 'ok';
  });
  await page.mouse.move(100, 100);
  await sleep(500);
  await page.screenshot({ path: path.join(out, '6-after-context-restore.png') });
  check('context loss + restore ran', lost === 'ok', lost);

  // Kiosk: the cursor hides after 3 s without mouse movement and comes back on a move.
  await page.goto(url + '?kiosk#kiosk');
  await page.waitForFunction(() => window.gcFrontend && window.gcFrontend.framesDrawn() > 0, null, { timeout: 20000 });
  await page.mouse.move(500, 400);
  await page.mouse.move(510, 410);
  await sleep(3500);
  const hidden = await page.evaluate(() => document.getElementById('canvas').style.cursor);
  await page.mouse.move(520, 420);
  await sleep(200);
  const shown = await page.evaluate(() => document.getElementById('canvas').style.cursor);
  check('kiosk: cursor hidden when idle, shown on move', hidden === 'none' && shown !== 'none', { hidden, shown });

  const csp = await page.evaluate(() => window.__csp);
  check('no CSP violations', csp.length === 0, csp);
  const errors = logs.filter((l) => /error|abort|Uncaught/i.test(l));
  check('no errors in the console', errors.length === 0, errors);
  results.logs = logs;
} catch (e) {
  check('smoke run', false, String(e && e.stack || e));
} finally {
  await context.close();
  server.proc.kill();
  rmSync(userDataDir, { recursive: true, force: true });
  writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
}
process.exit(failed ? 1 : 0);
