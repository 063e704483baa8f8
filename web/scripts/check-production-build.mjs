// Fails the build when the production web app (target/classes/web/) carries what only the tests may have: the hooks
// of src/room/testHooks.ts (window.salotto) or the peer-to-peer baseline page. Run by `npm run build` after Vite.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.argv[2] ?? 'target/classes/web';
// Names that exist only in the hooks; a minifier keeps property names and string literals.
const MARKERS = ['publisherStats', 'screenStats', 'newSubscriberConnections', 'window.salotto', '.salotto='];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const found = [];
const all = files(ROOT);
for (const path of all) {
  if (path.endsWith('p2p.html')) found.push(`${path} (the peer-to-peer test page)`);
  const text = readFileSync(path, 'utf8');
  for (const marker of MARKERS) if (text.includes(marker)) found.push(`${path} contains "${marker}"`);
}
if (!all.some((p) => p.endsWith('index.html'))) found.push(`${ROOT}/index.html is missing`);
if (found.length) {
  console.error(`The production web app carries test code:\n  ${found.join('\n  ')}`);
  process.exit(1);
}
