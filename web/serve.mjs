// Serves the built board (dist/) on loopback: `node serve.mjs [--port 8080] [--host 127.0.0.1]`. Any static file
// server does the same; this one needs nothing beyond Node.js. Prints the URL to open.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.json': 'application/json' };

/** Serves dist/ on `host:port` (0: any free port); resolves with the listening server. */
export function serveBoard({ port = 8080, host = '127.0.0.1' } = {}) {
  if (!statSync(join(root, 'index.html'), { throwIfNoEntry: false })) {
    return Promise.reject(new Error(`no built board in ${root}: run \`node build.mjs\` (scripts/setup.sh does) first`));
  }
  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function handle(req, res) {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
    return;
  }
  const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
  // Nothing outside dist/ is served, whatever the path says.
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  let size;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-length': size, 'cache-control': 'no-cache' });
  createReadStream(file).pipe(res);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
  };
  const host = opt('host', '127.0.0.1');
  try {
    const server = await serveBoard({ port: Number(opt('port', 8080)), host });
    const rpc = opt('rpc', null);
    console.log(`zkml board: http://${host}:${server.address().port}/${rpc ? `?rpc=${encodeURIComponent(rpc)}` : ''}`);
  } catch (e) {
    console.error(`zkml board: ${e.message}`);
    process.exit(1);
  }
}
