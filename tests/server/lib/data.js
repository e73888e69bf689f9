'use strict';
// Users and rooms files: JSON arrays, validated once at start-up (formats in README.md).
const fs = require('node:fs');
const path = require('node:path');

const DATA_DIR = path.join(__dirname, '..', 'data');
const DEFAULT_USERS_FILE = path.join(DATA_DIR, 'users.json');
const DEFAULT_ROOMS_FILE = path.join(DATA_DIR, 'rooms.json');

function readJsonArray(file, what) {
  let parsed;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${what} file ${file}: ${e.message}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${what} file ${file}: expected a JSON array`);
  return parsed;
}

function optString(v, where) {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new Error(`${where}: expected a string`);
  return v;
}

/** Returns Map<number, {id, name, prefix, postfix}>. */
function loadUsers(file = DEFAULT_USERS_FILE) {
  const users = new Map();
  readJsonArray(file, 'users').forEach((u, i) => {
    const where = `users file ${file}, entry ${i}`;
    if (!u || typeof u !== 'object') throw new Error(`${where}: expected an object`);
    if (!Number.isSafeInteger(u.id)) throw new Error(`${where}: id must be an integer`);
    if (typeof u.name !== 'string' || !u.name) throw new Error(`${where}: name must be a non-empty string`);
    if (users.has(u.id)) throw new Error(`${where}: duplicate id ${u.id}`);
    users.set(u.id, {
      id: u.id,
      name: u.name,
      prefix: optString(u.prefix, `${where} prefix`),
      postfix: optString(u.postfix, `${where} postfix`),
    });
  });
  return users;
}

/** Returns Map<number, {id, name, password, maxParticipants}>. */
function loadRooms(file = DEFAULT_ROOMS_FILE) {
  const rooms = new Map();
  readJsonArray(file, 'rooms').forEach((r, i) => {
    const where = `rooms file ${file}, entry ${i}`;
    if (!r || typeof r !== 'object') throw new Error(`${where}: expected an object`);
    if (!Number.isSafeInteger(r.id)) throw new Error(`${where}: id must be an integer`);
    if (rooms.has(r.id)) throw new Error(`${where}: duplicate id ${r.id}`);
    if (r.password !== undefined && r.password !== null && typeof r.password !== 'string') {
      throw new Error(`${where}: password must be a string`);
    }
    if (r.maxParticipants !== undefined && (!Number.isSafeInteger(r.maxParticipants) || r.maxParticipants < 1)) {
      throw new Error(`${where}: maxParticipants must be a positive integer`);
    }
    rooms.set(r.id, {
      id: r.id,
      name: typeof r.name === 'string' ? r.name : '',
      password: r.password ? r.password : null,
      maxParticipants: r.maxParticipants || null,
    });
  });
  return rooms;
}

module.exports = { loadUsers, loadRooms, DEFAULT_USERS_FILE, DEFAULT_ROOMS_FILE };
