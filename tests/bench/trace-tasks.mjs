// Sums the renderer main thread's work in a Chromium trace (bench.mjs --steady-trace DIR) by
// what started each task: a timer, a promise's settling, a port's message, a video frame's
// callback, a style or layout pass, GC, ... With the thread's CPU time (tdur) where the
// trace has it, per second of the traced window. A sampling CPU profile (--steady-profile)
// inflates a page's figure about threefold at rest, and attributes little work badly; the
// trace times every task. Usage: node trace-tasks.mjs TRACE.json [TRACE.json...]
import { readFileSync } from 'node:fs';

function summarise(file) {
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  // The renderer's main thread: where the page's TracingStartedInBrowser frame lives, else
  // the thread named CrRendererMain with the most events.
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const counts = new Map();
  for (const e of events) {
    const k = `${e.pid}:${e.tid}`;
    if (names.get(k) === 'CrRendererMain' && e.ph === 'X') counts.set(k, (counts.get(k) || 0) + 1);
  }
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) throw new Error(`${file}: no renderer main thread`);
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && typeof e.dur === 'number')
                     .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const t0 = Math.min(...mine.map((e) => e.ts));
  const t1 = Math.max(...mine.map((e) => e.ts + e.dur));
  const seconds = (t1 - t0) / 1e6;
  // Top-level tasks, and for each the first named child that says what it ran.
  const tasks = mine.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
  const kinds = new Map();
  const add = (kind, e) => {
    const k = kinds.get(kind) || { n: 0, wall: 0, cpu: 0 };
    k.n++; k.wall += e.dur; k.cpu += typeof e.tdur === 'number' ? e.tdur : e.dur;
    kinds.set(kind, k);
  };
  let i = 0;
  const skip = new Set(['ThreadControllerImpl::RunTask', 'RunTask', 'ThreadPool_RunTask', 'SequenceManager::DoIdleWork']);
  for (const task of tasks) {
    const end = task.ts + task.dur;
    while (i < mine.length && mine[i].ts < task.ts) i++;
    let kind = null;
    for (let j = i; j < mine.length && mine[j].ts <= end; j++) {
      const e = mine[j];
      if (e === task || skip.has(e.name)) continue;
      if (e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'TimerFire' || e.name === 'v8.run' ||
          e.name === 'RunMicrotasks' || e.name === 'FireAnimationFrame' || e.name === 'UpdateLayoutTree' ||
          e.name === 'Layout' || e.name === 'Paint' || e.name === 'MinorGC' || e.name === 'MajorGC' ||
          e.name.startsWith('V8.GC') || e.name === 'ParseHTML' || e.name === 'HitTest' || e.name === 'Commit' ||
          e.name === 'PrePaint' || e.name === 'Layerize' || e.name === 'UpdateLayer' || !kind) {
        const detail = e.args?.data?.type || e.args?.data?.functionName || '';
        kind = `${e.name}${detail ? ` ${detail}` : ''}`;
        if (e.name !== 'ThreadControllerImpl::RunTask') break;
      }
    }
    add(kind || '(empty)', task);
  }
  const total = [...kinds.values()].reduce((a, k) => ({ n: a.n + k.n, wall: a.wall + k.wall, cpu: a.cpu + k.cpu }), { n: 0, wall: 0, cpu: 0 });
  console.log(`${file}: ${seconds.toFixed(1)} s of the main thread; ${(total.n / seconds).toFixed(1)} tasks/s, ` +
              `busy ${(total.wall / 1e3 / seconds).toFixed(2)} ms/s, CPU ${(total.cpu / 1e3 / seconds).toFixed(2)} ms/s`);
  console.log('  tasks/s   busy ms/s  cpu ms/s  what started the task');
  for (const [kind, k] of [...kinds].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 25)) {
    console.log(`  ${(k.n / seconds).toFixed(2).padStart(7)}  ${(k.wall / 1e3 / seconds).toFixed(3).padStart(9)}  ${(k.cpu / 1e3 / seconds).toFixed(3).padStart(8)}  ${kind}`);
  }
}

for (const f of process.argv.slice(2)) summarise(f);
