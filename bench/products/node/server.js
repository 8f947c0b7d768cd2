// Minimal PostgREST-style comparison server for bench/products/query.sh: Node `http` + `pg`.
// Serves GET /api/v1/products/<p>/editions/latest/rows?bydel=eq.<value>&limit=<n> with
//   SELECT json_agg(t) FROM (SELECT * FROM obs WHERE bydel = $1 LIMIT $2) t
// as application/json (the JSON text PostgreSQL builds, passed through unparsed).
// Env: PGURL (postgresql://user@host:port/db), PORT (0 = any free; the port is printed),
//      POOL (pg.Pool size, default 16).
'use strict';
const http = require('http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.PGURL, max: Number(process.env.POOL || 16) });
const ROUTE = /^\/api\/v1\/products\/[^/]+\/editions\/latest\/rows$/;
const SQL = 'SELECT json_agg(t)::text AS j FROM (SELECT * FROM obs WHERE bydel = $1 LIMIT $2) t';

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method !== 'GET' || !ROUTE.test(url.pathname)) return send(res, 404, '{"error":"not found"}');
  const bydel = url.searchParams.get('bydel');
  const limit = Number(url.searchParams.get('limit') || 100);
  if (!bydel || !bydel.startsWith('eq.') || !Number.isInteger(limit) || limit < 1 || limit > 10000) {
    return send(res, 400, '{"error":"use bydel=eq.<value>&limit=<1..10000>"}');
  }
  pool.query({ name: 'rows', text: SQL, values: [bydel.slice(3), limit] }).then(
    (r) => send(res, 200, r.rows[0].j || '[]'),
    (e) => send(res, 500, JSON.stringify({ error: String(e.message) })));
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`node listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => { server.close(); pool.end().then(() => process.exit(0)); });
