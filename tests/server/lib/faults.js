'use strict';
// Fault injection switches. Each fault has a name and an optional value; the parsed value is
// what the rest of the server reads (`faults.get(name)`; undefined means "off").

const GARBAGE_KINDS = [
  'not-json', 'array', 'null', 'number', 'string', 'no-type', 'unknown-type',
  'wrong-types', 'empty', 'binary', 'deep', 'truncated',
];

const DEFAULT_OVERSIZED_BYTES = 1024 * 1024 + 1024;

const FAULTS = {
  delay: {
    arg: 'MS', def: '200',
    help: 'delay every outgoing message by MS milliseconds (order preserved)',
    parse: (v) => nonNegInt(v, 'delay'),
  },
  reorder: {
    arg: 'MS', def: '50',
    help: 'hold outgoing messages per client for MS ms, then send the batch in reverse order',
    parse: (v) => nonNegInt(v, 'reorder'),
  },
  'candidates-before-answer': {
    help: 'send the iceCandidate messages of a connection before its receiveVideoAnswer',
    parse: parseBool,
  },
  'candidate-spelling': {
    help: 'spell the iceCandidate field `candidate` instead of the wire format `candicate`',
    parse: parseBool,
  },
  'duplicate-announce': {
    help: 'send every newParticipantArrived twice',
    parse: parseBool,
  },
  drop: {
    arg: 'USER[@MS]',
    help: "close user USER's socket MS ms (default 1000) after each successful join (USER may be * for everyone)",
    parse: (v) => {
      const m = /^(\*|\d+)(?:@(\d+))?$/.exec(String(v));
      if (!m) throw new Error(`drop: expected USER[@MS], got ${JSON.stringify(v)}`);
      return { user: m[1] === '*' ? '*' : Number(m[1]), afterMs: m[2] === undefined ? 1000 : Number(m[2]) };
    },
  },
  restart: {
    arg: 'MS', def: '30000',
    help: 'every MS ms: drop every socket and forget every room (a server restart)',
    parse: (v) => {
      const n = nonNegInt(v, 'restart');
      if (n < 100) throw new Error('restart: period must be >= 100 ms');
      return n;
    },
  },
  garbage: {
    arg: 'KIND[,KIND...]', def: 'all',
    help: `after every outgoing message also send one garbage frame; kinds (rotated): ${GARBAGE_KINDS.join(', ')}; all = every kind`,
    parse: (v) => {
      const kinds = String(v).split(',').map((s) => s.trim()).filter(Boolean);
      if (kinds.length === 1 && kinds[0] === 'all') return GARBAGE_KINDS.slice();
      for (const k of kinds) {
        if (!GARBAGE_KINDS.includes(k)) throw new Error(`garbage: unknown kind ${JSON.stringify(k)}`);
      }
      if (!kinds.length) throw new Error('garbage: no kind given');
      return kinds;
    },
  },
  oversized: {
    arg: 'BYTES', def: String(DEFAULT_OVERSIZED_BYTES),
    help: 'after each existingParticipants also send one text frame of BYTES bytes (1049600 = 1 MiB + 1 KiB)',
    parse: (v) => {
      const n = nonNegInt(v, 'oversized');
      if (n < 64) throw new Error('oversized: BYTES must be >= 64');
      return n;
    },
  },
  'unsafe-file-url': {
    arg: 'URL', def: 'javascript:alert(1)',
    help: 'replace the fileUrl of every fileUploaded with URL',
    parse: (v) => String(v),
  },
};

function nonNegInt(v, name) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

function parseBool(v) {
  if (v === true || v === undefined || v === null) return true;
  const s = String(v).toLowerCase();
  if (['1', 'true', 'on', 'yes', ''].includes(s)) return true;
  if (['0', 'false', 'off', 'no'].includes(s)) return false;
  throw new Error(`expected on/off, got ${JSON.stringify(v)}`);
}

class Faults {
  constructor(onChange) {
    this.active = new Map(); // name -> { raw, value }
    this.onChange = onChange || (() => {});
  }

  /** Sets one fault from a name and a raw value (string, number, boolean or undefined). */
  set(name, raw) {
    const def = FAULTS[name];
    if (!def) throw new Error(`unknown fault ${JSON.stringify(name)} (known: ${Object.keys(FAULTS).join(', ')})`);
    if (raw === false || raw === null || (typeof raw === 'string' && ['off', 'false', '0'].includes(raw.toLowerCase()) && !def.arg)) {
      this.clear(name);
      return;
    }
    const text = raw === undefined || raw === true || raw === '' ? def.def : raw;
    const value = def.parse(text);
    if (value === false) { this.clear(name); return; }
    this.active.set(name, { raw: text === undefined ? true : text, value });
    this.onChange(name);
  }

  /** Parses the `--fault NAME[=VALUE]` form. */
  setSpec(spec) {
    const s = String(spec);
    const eq = s.indexOf('=');
    if (eq < 0) this.set(s.trim(), undefined);
    else this.set(s.slice(0, eq).trim(), s.slice(eq + 1));
  }

  clear(name) {
    if (name === undefined) {
      const names = [...this.active.keys()];
      this.active.clear();
      for (const n of names) this.onChange(n);
      return;
    }
    if (this.active.delete(name)) this.onChange(name);
  }

  get(name) {
    const f = this.active.get(name);
    return f ? f.value : undefined;
  }

  has(name) { return this.active.has(name); }

  toJSON() {
    const out = {};
    for (const [name, f] of this.active) out[name] = f.raw;
    return out;
  }
}

function faultHelp() {
  return Object.entries(FAULTS).map(([name, d]) => {
    const head = d.arg ? `${name}[=${d.arg}]` : name;
    const def = d.def !== undefined ? ` (default ${d.def})` : '';
    return `  ${head.padEnd(34)} ${d.help}${def}`;
  }).join('\n');
}

module.exports = { Faults, FAULTS, GARBAGE_KINDS, DEFAULT_OVERSIZED_BYTES, faultHelp, parseBool };
