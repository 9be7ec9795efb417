// Make the compiled CLI executable so `npx wirewatch` works right after `npm ci` (prepare → build).
import { chmodSync, existsSync } from 'node:fs';
const cli = new URL('../dist/src/cli.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);
