/**
 * Builds the operator console (console/src, plain DOM + urql) into console/dist with esbuild:
 * at `npm install` (postinstall: console/build.ts) and, when the bundle is missing, on the
 * first /console request (src/http/console-route.ts). Nothing is fetched at run time.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CONSOLE_DIR = resolve(__dirname, '../../console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
export const CONSOLE_BUNDLE = join(CONSOLE_DIST, 'console.js');

export async function buildConsole(opts: { minify?: boolean } = {}): Promise<void> {
  // Loaded here so a gateway whose bundle exists never loads esbuild.
  const esbuild = await import('esbuild');
  mkdirSync(CONSOLE_DIST, { recursive: true });
  await esbuild.build({
    entryPoints: [join(CONSOLE_DIR, 'src/main.ts')],
    outfile: CONSOLE_BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: opts.minify ?? true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(CONSOLE_DIR, 'src/console.css'), join(CONSOLE_DIST, 'console.css'));
}

export function consoleBuilt(): boolean {
  return existsSync(CONSOLE_BUNDLE) && existsSync(join(CONSOLE_DIST, 'console.css'));
}
