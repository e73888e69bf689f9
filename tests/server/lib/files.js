'use strict';
// Uploads (POST /upload: streamed to a temporary file, then linked under a fresh name),
// served back under /files/, and the static web build.
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');
const crypto = require('node:crypto');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.bmp': 'image/bmp',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttc': 'font/collection',
  '.data': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.y4m': 'application/octet-stream',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function mimeOf(name) {
  return MIME[path.extname(name).toLowerCase()] || 'application/octet-stream';
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const MAX_NAME_BYTES = 180;

/** Turns any client-supplied name into a plain file name: no directories, no control chars. */
function safeFileName(raw) {
  let n = String(raw === undefined || raw === null ? '' : raw).normalize('NFC');
  n = n.split(/[\\/]/).pop();
  // eslint-disable-next-line no-control-regex
  n = n.replace(/[\u0000-\u001f\u007f<>:"|?*%]/g, '_');
  n = n.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (!n) n = 'file';
  if (WINDOWS_RESERVED.test(n)) n = '_' + n;
  if (Buffer.byteLength(n) > MAX_NAME_BYTES) {
    let ext = path.extname(n);
    if (Buffer.byteLength(ext) > 20) ext = '';
    let base = n.slice(0, n.length - ext.length);
    while (Buffer.byteLength(base + ext) > MAX_NAME_BYTES) base = [...base].slice(0, -1).join('');
    n = base + ext;
  }
  return n;
}

/** The name with " (N)" before the extension: a.txt, a-1.txt, a-2.txt, ... */
function numberedName(name, i) {
  if (i === 0) return name;
  const ext = path.extname(name);
  const base = ext && ext !== name ? name.slice(0, -ext.length) : name;
  return `${base}-${i}${ext && ext !== name ? ext : ''}`;
}

function tmpUploadPath(dir) {
  return path.join(dir, `.upload-${process.pid}-${crypto.randomBytes(6).toString('hex')}.part`);
}

/**
 * Gives the finished temporary file tmp (in dir) a fresh name from requestedName: a hard
 * link fails when the name exists, so nothing is ever overwritten (a.txt, a-1.txt, ...).
 * tmp is removed either way. Returns the stored name.
 */
async function commitUpload(dir, tmp, requestedName) {
  const name = safeFileName(requestedName);
  try {
    for (let i = 0; i < 10000; i++) {
      const candidate = numberedName(name, i);
      try {
        await fsp.link(tmp, path.join(dir, candidate)); // atomic, fails if it exists
        return candidate;
      } catch (e) {
        if (e.code !== 'EEXIST') throw e;
      }
    }
    throw new Error('no free file name');
  } finally {
    await fsp.unlink(tmp).catch(() => {});
  }
}

/** Stores data (a Buffer in memory) under a fresh name (never overwrites). Returns the stored name. */
async function storeUpload(dir, requestedName, data) {
  await fsp.mkdir(dir, { recursive: true });
  const tmp = tmpUploadPath(dir);
  await fsp.writeFile(tmp, data, { flag: 'wx' });
  return commitUpload(dir, tmp, requestedName);
}

/** Bytes of the stored files in dir (temporary `.upload-*` files excluded); 0 if it does not exist. */
async function dirBytes(dir) {
  let entries;
  try { entries = await fsp.readdir(dir, { withFileTypes: true }); } catch { return 0; }
  let total = 0;
  for (const e of entries) {
    if (!e.isFile() || e.name.startsWith('.upload-')) continue;
    try { total += (await fsp.stat(path.join(dir, e.name))).size; } catch { /* removed meanwhile */ }
  }
  return total;
}

/**
 * The total disk quota of the uploads folder. `used` is measured from the folder (so files
 * removed by hand free space) whenever no other upload is running; bytes of running uploads
 * are reserved chunk by chunk as they are written.
 */
class UploadQuota {
  constructor(dir, limitBytes) {
    this.dir = dir;
    this.limit = limitBytes;
    this.used = 0;
    this.reserved = 0;
    this.active = 0;
    this.refreshing = null;
  }

  /** An upload starts: re-measure the folder if it is the only one. */
  async begin() {
    this.active++;
    if (this.active === 1 && !this.refreshing) {
      this.refreshing = dirBytes(this.dir).then((n) => { this.used = n; }).finally(() => { this.refreshing = null; });
    }
    if (this.refreshing) await this.refreshing;
  }

  end() { this.active--; }

  available() { return this.limit - this.used - this.reserved; }

  reserve(n) {
    if (n > this.available()) return false;
    this.reserved += n;
    return true;
  }

  release(n) { this.reserved -= n; }

  /** A reserved upload of n bytes was stored. */
  commit(n) { this.reserved -= n; this.used += n; }

  toJSON() { return { usedBytes: this.used, reservedBytes: this.reserved, quotaBytes: this.limit }; }
}

/** RFC 6266 / RFC 5987: an ASCII fallback plus filename* for UTF-8 names. */
function contentDisposition(name, type = 'attachment') {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const ext = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${type}; filename="${ascii}"; filename*=UTF-8''${ext}`;
}

/** Reads a request body up to limit bytes. Resolves {data} or {tooLarge: true}. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        req.pause();
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!done) { done = true; resolve({ data: Buffer.concat(chunks) }); } });
    req.on('error', (e) => { if (!done) { done = true; reject(e); } });
    req.on('aborted', () => { if (!done) { done = true; reject(new Error('request aborted')); } });
  });
}

function headerParam(header, key) {
  // key="quoted" or key=token, plus key*=UTF-8''percent-encoded
  const star = new RegExp(`(?:^|;)\\s*${key}\\*\\s*=\\s*([^;]+)`, 'i').exec(header);
  if (star) {
    const m = /^([\w-]+)'[^']*'(.*)$/.exec(star[1].trim());
    if (m) {
      try { return decodeURIComponent(m[2]); } catch { /* fall through */ }
    }
  }
  const quoted = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  const token = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*([^;\\s]+)`, 'i').exec(header);
  return token ? token[1] : null;
}

const CRLF = Buffer.from('\r\n');
const CRLF2 = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

/**
 * Incremental multipart/form-data parser: push(chunk) returns events
 * {type: 'part', name, filename, headers} | {type: 'data', data} | {type: 'end'} (a part is
 * complete), never holding more than a delimiter's length of a part body (or one part's
 * headers, at most 16 KiB). done: the closing delimiter was seen.
 */
class MultipartParser {
  constructor(contentType) {
    const boundary = headerParam(String(contentType || ''), 'boundary');
    if (!boundary) throw new Error('multipart without boundary');
    if (boundary.length > 200) throw new Error('multipart boundary too long');
    this.delim = Buffer.from(`\r\n--${boundary}`);
    this.buf = CRLF; // so that a delimiter at the very start matches too
    this.state = 'preamble';
  }

  get done() { return this.state === 'done'; }

  push(chunk) {
    const out = [];
    if (this.state === 'done') return out;
    let buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.state === 'preamble' || this.state === 'body') {
        const i = buf.indexOf(this.delim);
        if (i < 0) {
          const keep = this.delim.length - 1; // a delimiter may start in the tail
          if (buf.length > keep) {
            if (this.state === 'body') out.push({ type: 'data', data: buf.subarray(0, buf.length - keep) });
            buf = buf.subarray(buf.length - keep);
          }
          break;
        }
        if (this.state === 'body') {
          if (i > 0) out.push({ type: 'data', data: buf.subarray(0, i) });
          out.push({ type: 'end' });
        }
        buf = buf.subarray(i + this.delim.length);
        this.state = 'after';
      } else if (this.state === 'after') {
        if (buf.length < 2) break;
        if (buf[0] === 0x2d && buf[1] === 0x2d) { this.state = 'done'; buf = EMPTY; break; }
        const j = buf.indexOf(CRLF);
        if (j < 0) {
          if (buf.length > 256) throw new Error('bad multipart delimiter line');
          break;
        }
        if (!/^[ \t]*$/.test(buf.subarray(0, j).toString('latin1'))) throw new Error('bad multipart delimiter line');
        buf = buf.subarray(j + 2);
        this.state = 'headers';
      } else if (this.state === 'headers') {
        if (buf.length < 2) break;
        let head;
        if (buf[0] === 0x0d && buf[1] === 0x0a) { // a part without headers
          head = '';
          buf = buf.subarray(2);
        } else {
          const k = buf.indexOf(CRLF2);
          if (k < 0) {
            if (buf.length > 16 * 1024) throw new Error('multipart part headers too long');
            break;
          }
          head = buf.subarray(0, k).toString('utf8');
          buf = buf.subarray(k + 4);
        }
        const disp = /^content-disposition:\s*(.*)$/im.exec(head);
        out.push({
          type: 'part',
          name: disp ? headerParam(disp[1], 'name') : null,
          filename: disp ? headerParam(disp[1], 'filename') : null,
          headers: head,
        });
        this.state = 'body';
      } else {
        buf = EMPTY;
        break;
      }
    }
    this.buf = buf.length ? Buffer.from(buf) : EMPTY; // a small copy: the chunk may be released
    return out;
  }
}

/**
 * Which multipart part is the file: the first part with a filename; failing that, a part
 * named `file` whose name is in a `fileName` field. take(event) returns what to do with the
 * file being written: a Buffer to append, 'reset' (start again: a part with a filename came
 * after a `file` field), or null. Other fields are kept (64 KiB at most in all).
 */
class FilePartPicker {
  constructor() {
    this.chosen = null; // 'filename' | 'field'
    this.target = null; // 'file' | {name, chunks} | null
    this.fields = {};
    this.fieldBytes = 0;
    this.fileName = null;
    this.complete = false;
  }

  take(ev) {
    if (ev.type === 'part') {
      if (ev.filename !== null && this.chosen !== 'filename') {
        const reset = this.chosen === 'field';
        this.chosen = 'filename';
        this.fileName = ev.filename;
        this.complete = false;
        this.target = 'file';
        return reset ? 'reset' : null;
      }
      if (ev.filename === null && ev.name === 'file' && !this.chosen) {
        this.chosen = 'field';
        this.target = 'file';
        return null;
      }
      this.target = ev.name && ev.filename === null ? { name: ev.name, chunks: [] } : null;
      return null;
    }
    if (ev.type === 'data') {
      if (this.target === 'file') return ev.data;
      if (this.target && (this.fieldBytes += ev.data.length) <= 64 * 1024) this.target.chunks.push(Buffer.from(ev.data));
      return null;
    }
    if (this.target === 'file') this.complete = true;
    else if (this.target) this.fields[this.target.name] = Buffer.concat(this.target.chunks).toString('utf8');
    this.target = null;
    return null;
  }

  /** {fileName}, or throws when the body had no (complete) file part. */
  result() {
    if (this.chosen === 'filename' && this.complete) return { fileName: this.fileName };
    if (this.chosen === 'field' && this.complete && this.fields.fileName !== undefined) return { fileName: this.fields.fileName };
    throw new Error('multipart body has no file part');
  }
}

/** In-memory multipart parsing (small bodies, tests): {fileName, data, fields}. */
function parseMultipart(body, contentType) {
  const parser = new MultipartParser(contentType);
  const picker = new FilePartPicker();
  let chunks = [];
  for (const ev of parser.push(body)) {
    const r = picker.take(ev);
    if (r === 'reset') chunks = [];
    else if (r) chunks.push(r);
  }
  const { fileName } = picker.result();
  return { fileName, data: Buffer.concat(chunks), fields: picker.fields };
}

/**
 * Feeds the request body to onChunk (async; a truthy result stops reading and is returned),
 * one chunk at a time with backpressure. Resolves null at the end of the body.
 */
function pumpBody(req, onChunk) {
  return new Promise((resolve, reject) => {
    let done = false;
    let chain = Promise.resolve();
    const finish = (fn, v) => { if (!done) { done = true; fn(v); } };
    req.on('data', (chunk) => {
      if (done) return;
      req.pause();
      chain = chain.then(() => (done ? null : onChunk(chunk))).then((stop) => {
        if (stop) finish(resolve, stop);
        else if (!done) req.resume();
      }, (e) => finish(reject, e));
    });
    // 'end' may come while the last chunk is still being written: wait for it.
    req.on('end', () => { chain.then(() => finish(resolve, null), () => {}); });
    const abort = (e) => { chain.then(() => finish(reject, e), () => {}); };
    req.on('error', (e) => abort(e));
    req.on('close', () => { if (!req.complete) abort(new Error('request aborted')); });
  });
}

/**
 * Streams an upload body to a temporary file in dir (never the whole body in memory).
 * opts: limit (file bytes), multipart (bool), contentType, reserve(n) -> bool and release(n)
 * (the disk quota, per chunk written). Resolves
 *   {tmp, size, fileName (multipart; null for a raw body), reserved}
 * or {error: 'tooLarge' | 'quota' | 'bad', message}; on an error or a rejection the
 * temporary file is gone and the reservation released.
 */
async function receiveUpload(req, dir, { limit, multipart = false, contentType = '', reserve = () => true, release = () => {} }) {
  let parser = null;
  let picker = null;
  if (multipart) {
    try { parser = new MultipartParser(contentType); } catch (e) { return { error: 'bad', message: e.message }; }
    picker = new FilePartPicker();
  }
  await fsp.mkdir(dir, { recursive: true });
  const tmp = tmpUploadPath(dir);
  const fh = await fsp.open(tmp, 'wx');
  let closed = false;
  let pos = 0;
  let reserved = 0;
  let bodyBytes = 0;
  // Multipart framing adds a few hundred bytes around the file.
  const bodyLimit = multipart ? limit + 64 * 1024 : limit;
  const write = async (data) => {
    if (pos + data.length > limit) return 'tooLarge';
    if (!reserve(data.length)) return 'quota';
    reserved += data.length;
    await fh.write(data, 0, data.length, pos);
    pos += data.length;
    return null;
  };
  const onChunk = async (chunk) => {
    bodyBytes += chunk.length;
    if (bodyBytes > bodyLimit) return 'tooLarge';
    if (!parser) return write(chunk);
    let events;
    try { events = parser.push(chunk); } catch (e) { return { bad: e.message }; }
    for (const ev of events) {
      const r = picker.take(ev);
      if (r === 'reset') {
        await fh.truncate(0);
        pos = 0;
        release(reserved);
        reserved = 0;
      } else if (r) {
        const stop = await write(r);
        if (stop) return stop;
      }
    }
    return null;
  };
  const discard = async () => {
    if (!closed) { closed = true; await fh.close().catch(() => {}); }
    await fsp.unlink(tmp).catch(() => {});
    release(reserved);
    reserved = 0;
  };
  let stop;
  try {
    stop = await pumpBody(req, onChunk);
  } catch (e) {
    await discard();
    throw e;
  }
  if (stop) {
    await discard();
    if (typeof stop === 'object') return { error: 'bad', message: stop.bad };
    return { error: stop };
  }
  let fileName = null;
  if (picker) {
    try { ({ fileName } = picker.result()); } catch (e) { await discard(); return { error: 'bad', message: e.message }; }
  }
  closed = true;
  await fh.close();
  return { tmp, size: pos, fileName, reserved };
}

/** Resolves a URL path inside root, or null when it would escape it. */
function resolveInside(root, urlPath) {
  let decoded;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0')) return null;
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  const rootResolved = path.resolve(root);
  if (full !== rootResolved && !full.startsWith(rootResolved + path.sep)) return null;
  return full;
}

async function serveFile(req, res, file, headers = {}) {
  let st;
  try { st = await fsp.stat(file); } catch { return false; }
  if (!st.isFile()) return false;
  res.writeHead(200, {
    'Content-Type': mimeOf(file),
    'Content-Length': st.size,
    'Cache-Control': 'no-cache',
    ...headers,
  });
  if (req.method === 'HEAD') { res.end(); return true; }
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  return true;
}

module.exports = {
  MIME, mimeOf, safeFileName, storeUpload, commitUpload, receiveUpload, UploadQuota, dirBytes, contentDisposition, readBody,
  MultipartParser, FilePartPicker, parseMultipart, resolveInside, serveFile, headerParam, numberedName,
};
