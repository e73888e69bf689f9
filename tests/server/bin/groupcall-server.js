#!/usr/bin/env node
'use strict';
// Command line of the groupcall reference server. `--help` documents every option.
const path = require('node:path');
const { ReferenceServer, DEFAULTS } = require('../lib/server');
const { faultHelp } = require('../lib/faults');
const { normalizeOrigin } = require('../lib/security');

const HELP = `Usage: node tests/server/bin/groupcall-server.js [options]

Reference groupcall server: the signalling protocol of shared/PROTOCOL.md on
ws(s)://HOST:PORT/groupcall with a werift WebRTC media relay, uploads, the web build,
fault injection and /stats. Binds loopback by default.

Options:
  --host HOST               address to listen on (default ${DEFAULTS.host})
  --port N                  port (default 8080, 8443 with --tls; 0 = any free port)
  --tls                     HTTPS/WSS with a self-signed certificate made once by openssl
  --tls-dir DIR             where that certificate is kept (default tests/server/.tls)
  --users FILE              users JSON (default tests/server/data/users.json)
  --rooms FILE              rooms JSON (default tests/server/data/rooms.json)
  --web DIR                 serve the web client build from DIR at /
  --uploads DIR             where POST /upload stores files (default tests/server/uploads)
  --max-upload-mb N         upload size limit in MiB (default ${DEFAULTS.maxUploadMb})
  --echo-chat on|off        send reciveTextMessage / fileUploaded back to the sender too (default on)
  --max-participants N      per room, unless the rooms file says otherwise (default ${DEFAULTS.maxParticipants})
  --chat-rate N/SECONDS     chat + uploadSuccess messages allowed per user id (default 20/10; not per
                            socket: reconnecting does not reset it)
  --max-frame-bytes N       largest incoming text message in bytes; bigger closes the socket with 1009
                            (default ${DEFAULTS.maxFrameBytes}: Spring Boot's embedded Tomcat, as the real server)
  --renegotiation strict|allow
                            strict (default, as the real Kurento server): a second receiveVideoFrom
                            for the same owner in one join session (own id included), or one for an
                            owner not in the room, closes the socket with 1011 and the user leaves;
                            the owner's endpoint is released when it leaves (participantLeft).
                            allow: a repeat replaces the old endpoint, unknown owners are ignored
  --bots ROOM:FROM-TO       join signalling-only bots FROM..TO (or ROOM:ID) into ROOM at start;
                            repeatable. Names from --users, else "Bot N". Bots count against
                            --max-participants (e.g. --max-participants 40 for a 40-member room)
  --unknown-rooms open|deny rooms missing from the rooms file: created on demand or refused (default open)
  --allow-loopback on|off   advertise a 127.0.0.1 ICE host candidate (default on). With a loopback
                            --host the media relay uses 127.0.0.1 only; browsers on this machine
                            need Chromium's --allow-loopback-in-peer-connection
  --ice-address ADDR        advertise (only) this ICE host address; repeatable (default: 127.0.0.1
                            with a loopback --host, else every interface)
  --ice-port-range MIN-MAX  UDP ports for media
  --sdp-candidates on|off   also put candidates in the SDP answers (default off: trickle only, as Kurento)
  --keyframe-interval-ms N  throttle for keyframe requests forwarded to a publisher (default 500)
  --csp POLICY              Content-Security-Policy for the web build (default allows 'wasm-unsafe-eval')
  --csp-unsafe-eval         add 'unsafe-eval' to the default policy (Emscripten builds without
                            -sDYNAMIC_EXECUTION=0 need it, e.g. embind's generated invokers)
  --fault NAME[=VALUE]      inject a fault; repeatable (also settable at runtime, see /control):
${faultHelp().split('\n').map((l) => '  ' + l).join('\n')}
  --log-level quiet|info|debug   (default info; control characters in log lines are escaped and
                            the join password is never logged, debug included); --quiet = --log-level quiet
  --help                    this text

Security (README "Security"):
  --control                 enable /control/* (loopback clients only; 404 without) and participant
                            ids in /stats (roomList members, endpoint owners, repeatOffersByUser).
                            Off by default; the test suites turn it on
  --allow-origin ORIGIN     also accept this Origin (http(s)://HOST[:PORT]) on the WebSocket upgrade,
                            POST /upload and /control; repeatable. Always accepted: the server's own
                            origin, loopback origins (127.0.0.1, localhost, [::1], any port) and
                            requests without Origin (not from a browser). Refused: 403. With a loopback
                            --host, the Host header must be loopback:PORT too (421, DNS rebinding)
  --join-timeout-ms N       close sockets that have not joined after N ms with 1008 (default ${DEFAULTS.joinTimeoutMs}; 0 = never)
  --max-connections-per-ip N  open WebSockets per client address; more get 429 (default ${DEFAULTS.maxConnectionsPerIp})
  --max-uploads-per-ip N    concurrent uploads per client address; more get 429 (default ${DEFAULTS.maxUploadsPerIp})
  --upload-quota-mb N       total size of --uploads in MiB; an upload past it gets 507 (default ${DEFAULTS.uploadQuotaMb})

HTTP endpoints: GET /stats; POST /upload (raw body + X-File-Name header, or
multipart/form-data; streamed to disk) -> {"fileUrl":"/files/<name>"}; GET /files/<name>;
with --control, loopback-only /control/fault, /control/drop?user=N, /control/restart,
/control/garbage, /control/oversized, /control/bots (POST {room, ids} | {room, from, count};
DELETE), /control/stall {user, ms?}, /control/unstall {user}.
See tests/server/README.md.`;

function onOff(v, name) {
  const s = String(v).toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(s)) return true;
  if (['off', 'false', '0', 'no'].includes(s)) return false;
  throw new Error(`${name}: expected on or off, got ${JSON.stringify(v)}`);
}

/** `ROOM:FROM-TO` or `ROOM:ID` -> {room, ids}. */
function parseBots(v) {
  const m = /^(-?\d+):(\d+)(?:-(\d+))?$/.exec(String(v));
  if (!m) throw new Error(`--bots: expected ROOM:FROM-TO (e.g. 1:13-52), got ${JSON.stringify(v)}`);
  const from = Number(m[2]);
  const to = m[3] === undefined ? from : Number(m[3]);
  if (to < from || to - from >= 1000) throw new Error('--bots: FROM-TO must be a range of at most 1000 ids');
  return { room: Number(m[1]), ids: Array.from({ length: to - from + 1 }, (_, i) => from + i) };
}

function parseArgs(argv) {
  const o = { faults: [], iceAddresses: null, allowOrigins: [] };
  const args = argv.slice();
  const next = (flag, inline) => {
    if (inline !== undefined) return inline;
    if (!args.length) throw new Error(`${flag} needs a value`);
    return args.shift();
  };
  const int = (flag, v, min = 0) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  while (args.length) {
    const raw = args.shift();
    const m = /^(--[^=]+)(?:=(.*))?$/.exec(raw);
    if (!m) throw new Error(`unexpected argument ${JSON.stringify(raw)}`);
    const [, flag, inline] = m;
    switch (flag) {
      case '--help': case '-h': o.help = true; break;
      case '--host': o.host = next(flag, inline); break;
      case '--port': o.port = int(flag, next(flag, inline)); if (o.port > 65535) throw new Error('--port: too large'); break;
      case '--tls': o.tls = inline === undefined ? true : onOff(inline, flag); break;
      case '--tls-dir': o.tlsDir = path.resolve(next(flag, inline)); break;
      case '--users': o.usersFile = path.resolve(next(flag, inline)); break;
      case '--rooms': o.roomsFile = path.resolve(next(flag, inline)); break;
      case '--web': o.web = path.resolve(next(flag, inline)); break;
      case '--uploads': o.uploads = path.resolve(next(flag, inline)); break;
      case '--max-upload-mb': {
        const v = Number(next(flag, inline));
        if (!(v > 0)) throw new Error('--max-upload-mb: expected a positive number');
        o.maxUploadMb = v;
        break;
      }
      case '--echo-chat': o.echoChat = onOff(next(flag, inline), flag); break;
      case '--max-participants': o.maxParticipants = int(flag, next(flag, inline), 1); break;
      case '--chat-rate': {
        const v = next(flag, inline);
        const cm = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(v);
        if (!cm) throw new Error('--chat-rate: expected N/SECONDS, e.g. 20/10');
        o.chatRate = { count: Number(cm[1]), perMs: Math.round(Number(cm[2]) * 1000) };
        break;
      }
      case '--max-frame-bytes': o.maxFrameBytes = int(flag, next(flag, inline), 1024); break;
      case '--renegotiation': {
        const v = next(flag, inline);
        if (v !== 'strict' && v !== 'allow') throw new Error('--renegotiation: strict or allow');
        o.renegotiation = v;
        break;
      }
      case '--bots': (o.bots = o.bots || []).push(parseBots(next(flag, inline))); break;
      case '--unknown-rooms': {
        const v = next(flag, inline);
        if (v !== 'open' && v !== 'deny') throw new Error('--unknown-rooms: open or deny');
        o.unknownRooms = v;
        break;
      }
      case '--allow-loopback': o.allowLoopback = inline === undefined && (!args.length || args[0].startsWith('--')) ? true : onOff(next(flag, inline), flag); break;
      case '--ice-address': (o.iceAddresses = o.iceAddresses || []).push(next(flag, inline)); break;
      case '--ice-port-range': {
        const v = next(flag, inline);
        const pm = /^(\d+)-(\d+)$/.exec(v);
        if (!pm || Number(pm[1]) > Number(pm[2]) || Number(pm[2]) > 65535) throw new Error('--ice-port-range: expected MIN-MAX');
        o.icePortRange = [Number(pm[1]), Number(pm[2])];
        break;
      }
      case '--sdp-candidates': o.sdpCandidates = onOff(next(flag, inline), flag); break;
      case '--keyframe-interval-ms': o.keyframeIntervalMs = int(flag, next(flag, inline)); break;
      case '--csp': o.csp = next(flag, inline); break;
      case '--csp-unsafe-eval': o.cspUnsafeEval = true; break;
      case '--fault': o.faults.push(next(flag, inline)); break;
      case '--log-level': o.logLevel = next(flag, inline); break;
      case '--control': o.control = inline === undefined ? true : onOff(inline, flag); break;
      case '--allow-origin': {
        const v = next(flag, inline);
        if (!normalizeOrigin(v)) throw new Error(`--allow-origin: expected http(s)://HOST[:PORT], got ${JSON.stringify(v)}`);
        o.allowOrigins.push(v);
        break;
      }
      case '--join-timeout-ms': o.joinTimeoutMs = int(flag, next(flag, inline)); break;
      case '--max-connections-per-ip': o.maxConnectionsPerIp = int(flag, next(flag, inline), 1); break;
      case '--max-uploads-per-ip': o.maxUploadsPerIp = int(flag, next(flag, inline), 1); break;
      case '--upload-quota-mb': {
        const v = Number(next(flag, inline));
        if (!(v > 0)) throw new Error('--upload-quota-mb: expected a positive number');
        o.uploadQuotaMb = v;
        break;
      }
      case '--quiet': o.logLevel = 'quiet'; break;
      default: throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  return o;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`groupcall-server: ${e.message}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(HELP + '\n');
    return;
  }
  let server;
  try {
    server = new ReferenceServer(opts);
    await server.start();
  } catch (e) {
    process.stderr.write(`groupcall-server: ${e.message}\n`);
    process.exit(1);
  }
  process.stdout.write(server.urls().join('\n') + '\n');

  // werift occasionally rejects inside its own async code (a peer vanishing mid-DTLS, ...):
  // log it, keep serving.
  process.on('unhandledRejection', (e) => server.log.error(`unhandled rejection: ${e && e.stack ? e.stack : e}`));
  process.on('uncaughtException', (e) => server.log.error(`uncaught exception: ${e && e.stack ? e.stack : e}`));

  let stopping = false;
  const stop = async (sig) => {
    if (stopping) return;
    stopping = true;
    server.log.info(`${sig}: shutting down`);
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    try { await server.stop(); } catch (e) { server.log.error(`stop: ${e.message}`); }
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) main();

module.exports = { parseArgs, HELP };
