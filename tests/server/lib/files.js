'use strict';
// Uploads (POST /upload), served back under /files/, and the static web build.
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

/** Stores data under a fresh name (never overwrites). Returns the stored name. */
async function storeUpload(dir, requestedName, data) {
  await fsp.mkdir(dir, { recursive: true });
  const name = safeFileName(requestedName);
  const tmp = path.join(dir, `.upload-${process.pid}-${crypto.randomBytes(6).toString('hex')}.part`);
  await fsp.writeFile(tmp, data, { flag: 'wx' });
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

/** Minimal multipart/form-data parser: returns the first part that has a filename. */
function parseMultipart(body, contentType) {
  const boundary = headerParam(contentType, 'boundary');
  if (!boundary) throw new Error('multipart without boundary');
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  const fields = {};
  while (pos >= 0) {
    pos += delim.length;
    if (body.slice(pos, pos + 2).toString() === '--') break;
    if (body.slice(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) break;
    const head = body.slice(pos, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd + 4);
    if (next < 0) break;
    const content = body.slice(headEnd + 4, next);
    const disp = /^content-disposition:\s*(.*)$/im.exec(head);
    if (disp) {
      const filename = headerParam(disp[1], 'filename');
      const name = headerParam(disp[1], 'name');
      if (filename !== null) return { fileName: filename, data: content, fields };
      if (name) fields[name] = content.toString('utf8');
    }
    pos = next + 2;
  }
  if (fields.fileName !== undefined && fields.file !== undefined) {
    return { fileName: fields.fileName, data: Buffer.from(fields.file), fields };
  }
  throw new Error('multipart body has no file part');
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
  MIME, mimeOf, safeFileName, storeUpload, contentDisposition, readBody, parseMultipart,
  resolveInside, serveFile, headerParam, numberedName,
};
