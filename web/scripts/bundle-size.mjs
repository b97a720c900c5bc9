// Prints the gzipped size of the built JavaScript and fails the build when
// the console's JS passes the budget (150 KB gzipped, issue 12).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET = 150 * 1024;
const dir = new URL('../dist/assets/', import.meta.url).pathname;
let js = 0;
let css = 0;
for (const f of readdirSync(dir)) {
  const gz = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  if (f.endsWith('.js')) js += gz;
  if (f.endsWith('.css')) css += gz;
}
console.log(`bundle: ${(js / 1024).toFixed(1)} KB gzipped JS, ${(css / 1024).toFixed(1)} KB gzipped CSS (budget ${BUDGET / 1024} KB JS)`);
if (js > BUDGET) {
  console.error(`bundle: the JavaScript is over the ${BUDGET / 1024} KB budget`);
  process.exit(1);
}
