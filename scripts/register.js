/**
 * `npm start`'s TypeScript loader: swc output cached on disk under node_modules/.cache/patchbay,
 * keyed by each file's path and content, so a start whose sources have not changed loads no
 * compiler at all. @swc-node/register (what tests and scripts use) loads `typescript` and the
 * swc binding on every start: measured here ~2.9 s and ~72 MB RSS of a demo start that must answer in
 * 3 s and idle under 250 MB (docs/operations-performance.md). Same swc settings as that loader
 * gives this repository's tsconfig.json (legacy decorators with metadata, no define semantics for
 * class fields, CommonJS, ES2022), so both produce the same code.
 *
 * `node scripts/register.js --warm src` compiles every .ts file under src into the cache
 * (postinstall), so even the first start finds it warm.
 */
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'patchbay', 'swc');

const SWC_OPTIONS = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', tsx: false, decorators: true, dynamicImport: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
    externalHelpers: false,
    experimental: { keepImportAttributes: true },
  },
  module: { type: 'commonjs', noInterop: false, ignoreDynamic: false },
  sourceMaps: 'inline',
  inlineSourcesContent: true,
  isModule: true,
  minify: false,
  swcrc: false,
};

let swc;
let salt;

/** What changes the output besides the source: the compiler's version and its options. */
function cacheSalt() {
  if (salt === undefined) {
    const manifest = path.join(path.dirname(require.resolve('@swc/core')), 'package.json');
    salt = `${JSON.parse(fs.readFileSync(manifest, 'utf8')).version}\n${JSON.stringify(SWC_OPTIONS)}\n`;
  }
  return salt;
}

function compile(source, filename) {
  const key = createHash('sha256').update(cacheSalt()).update(filename).update('\n').update(source).digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not compiled yet.
  }
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(source, { ...SWC_OPTIONS, filename });
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed: a concurrent start never reads half a file.
    const scratch = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(scratch, code);
    fs.renameSync(scratch, cached);
  } catch {
    // A read-only install still runs, compiling each time.
  }
  return code;
}

function loadTypeScript(module, filename) {
  module._compile(compile(fs.readFileSync(filename, 'utf8'), filename), filename);
}

function warm(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) warm(file);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) compile(fs.readFileSync(file, 'utf8'), file);
  }
}

if (require.main === module) {
  const i = process.argv.indexOf('--warm');
  const dir = path.resolve(i === -1 ? 'src' : process.argv[i + 1]);
  warm(dir);
  process.stdout.write(`patchbay: compiled ${dir} into ${CACHE_DIR}\n`);
} else {
  Module._extensions['.ts'] = loadTypeScript;
}
