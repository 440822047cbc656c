/** jest globalTeardown (integration project): removes the run's memory scratch (test/helpers/scratch-dir.ts). */
import { dropMemoryScratch } from './scratch-dir';

export default function globalTeardown(): void {
  dropMemoryScratch();
}
