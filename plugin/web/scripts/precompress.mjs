// Writes a .gz beside every text file of the build, so qatysu-server can answer
// Accept-Encoding: gzip without compressing at request time. Level 9: built once, sent often.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const out = process.env.QATYSU_WEB_OUT || 'dist';
const compressible = /\.(js|mjs|css|html|svg|json|txt)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (compressible.test(name)) {
      const data = readFileSync(path);
      writeFileSync(`${path}.gz`, gzipSync(data, { level: constants.Z_BEST_COMPRESSION }));
    }
  }
}
walk(out);
