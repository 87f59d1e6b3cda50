#!/usr/bin/env node
// Test-only: ClickHouse's HTTP interface in front of chdb, the ClickHouse engine as an in-process
// library (npm chdb 3.4.0 = ClickHouse 26.7). No ClickHouse server of a current release can run
// here (no Docker), so CurrentClickHouseTest runs the schema and the boards' SQL through this.
//
//   node chdb-http.js PORT DATA_DIR     (PORT 0: any free port; prints "listening PORT")
//
// It answers what our clients send (ClickHouseHttp: POST with the statement as the body, an
// optional ?database=; FORMAT, when wanted, in the SQL) and what curl users type:
//   GET  /ping                      -> 200 "Ok."
//   POST /?database=DB   body SQL    -> 200 and the result (TabSeparated unless the SQL says FORMAT)
//   GET|POST /?query=SQL            -> the same; a body is appended to the query, as ClickHouse does
//   ?default_format=F               -> the output format when the SQL names none
// A statement ClickHouse refuses gets HTTP 500 with ClickHouse's own message ("Code: 46.
// DB::Exception: ..."), so our one-line errors name the problem as with a real server. Any other
// parameter (settings, sessions, compression) gets HTTP 400: this is a test fixture, not a server,
// and should say so rather than silently ignore what it does not do.
//
// One process, one chdb session over DATA_DIR, one statement at a time (requests are queued):
// ?database= is applied with USE before each statement, and the default database otherwise, so a
// request never inherits the previous one's. Unlike a server, chdb runs several statements
// separated by ';' in one request. It stops on SIGTERM/SIGINT, and when its stdin closes, so that
// a test JVM that dies leaves no process behind.
'use strict';

const http = require('http');
const { Session } = require('chdb');

const SUPPORTED = new Set(['query', 'database', 'default_format']);
const [port, dataDir] = [Number(process.argv[2]), process.argv[3]];
if (!Number.isInteger(port) || !dataDir) {
  console.error('usage: node chdb-http.js PORT DATA_DIR');
  process.exit(2);
}

const session = new Session(dataDir);
let queue = Promise.resolve();

/** Runs statements one after another on the one session, as they came in. */
function serialized(work) {
  const run = queue.then(work);
  queue = run.catch(() => {});
  return run;
}

function identifier(name) {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

async function execute(sql, database, format) {
  return serialized(async () => {
    await session.queryAsync('USE ' + identifier(database || 'default'), { format: 'TSV' });
    const result = await session.queryAsync(sql, { format });
    return Buffer.from(result.bytes());
  });
}

function reply(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=UTF-8', ...headers });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/ping') {
      reply(res, 200, 'Ok.\n');
      return;
    }
    if (url.pathname !== '/') {
      reply(res, 404, `chdb-http: no such path ${url.pathname}\n`);
      return;
    }
    for (const name of url.searchParams.keys()) {
      if (!SUPPORTED.has(name)) {
        reply(res, 400, `chdb-http: parameter ${name} is not supported (test fixture)\n`);
        return;
      }
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const inUrl = url.searchParams.get('query') || '';
    const sql = inUrl && body ? inUrl + '\n' + body : inUrl || body;
    if (!sql.trim()) {
      reply(res, 400, 'chdb-http: empty query\n');
      return;
    }
    const format = url.searchParams.get('default_format') || 'TabSeparated';
    try {
      reply(res, 200, await execute(sql, url.searchParams.get('database'), format));
    } catch (e) {
      const code = e.clickhouseCode ?? /Code: (\d+)/.exec(String(e.message))?.[1] ?? '1000';
      reply(res, 500, String(e.message).trim() + '\n', {
        'X-ClickHouse-Exception-Code': String(code),
      });
    }
  });
});

function stop() {
  server.close();
  queue.finally(() => {
    session.close();
    process.exit(0);
  });
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();

server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
