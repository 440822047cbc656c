import { existsSync } from 'node:fs';
import { join } from 'node:path';

// CommonJS module loaded by jest itself (jest.config.js `testSequencer`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const HeavyFirstSequencer = require('../heavy-first-sequencer');

const ROOT = join(__dirname, '..', '..');

/** A test as jest hands it to the sequencer, with no timing cache; `size` is the file size jest sees. */
function fakeTest(path: string, size = 100) {
  return {
    path: join(ROOT, path),
    context: { config: { rootDir: ROOT, cache: false }, hasteFS: { getSize: () => size } },
  };
}

describe('HeavyFirstSequencer', () => {
  it('names only files that exist', () => {
    const missing = [...HeavyFirstSequencer.KNOWN_SECONDS.keys()].filter((p: string) => !existsSync(join(ROOT, p)));
    expect(missing).toEqual([]);
  });

  it('starts the heaviest known files first, then the rest in jest order (larger files first)', () => {
    const [heaviest, second] = [...HeavyFirstSequencer.KNOWN_SECONDS.entries()]
      .sort((a: [string, number], b: [string, number]) => b[1] - a[1])
      .map(([p]: [string, number]) => p);
    const tests = [
      fakeTest('test/unit/small.test.ts', 100),
      fakeTest(second),
      fakeTest('test/unit/larger.test.ts', 200),
      fakeTest(heaviest),
    ];
    const sorted = new HeavyFirstSequencer({}).sort(tests);
    expect(sorted.map((t: { path: string }) => t.path)).toEqual(
      [heaviest, second, 'test/unit/larger.test.ts', 'test/unit/small.test.ts'].map((p) => join(ROOT, p)),
    );
  });
});
