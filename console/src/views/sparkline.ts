/**
 * A call's jitter and loss over its last samples, drawn as two lines in a tiny inline SVG. Each
 * row keeps its SVG and only its `points` change, so a quality tick over 1,000 rows replaces
 * attributes rather than elements.
 */
import type { QualitySample } from '../channel-store';
import { svg } from '../dom';

export const SPARK_W = 64;
export const SPARK_H = 18;
/** Samples a sparkline shows: two and a half minutes at the stream's 5 s interval. */
export const SPARK_SAMPLES = 30;
/** Scale floors, so a clean call draws flat low lines rather than noise stretched to full height. */
const JITTER_FLOOR_MS = 30;
const LOSS_FLOOR_PERCENT = 5;

/** SVG `points` for values left to right across the sparkline, 0 at the bottom, `floor` or the max at the top. */
export function sparkPoints(values: number[], floor: number): string {
  const top = Math.max(floor, ...values);
  const step = values.length > 1 ? SPARK_W / (SPARK_SAMPLES - 1) : 0;
  const x0 = SPARK_W - step * (values.length - 1);
  return values
    .map((v, i) => `${(x0 + i * step).toFixed(1)},${(SPARK_H - 1 - (v / top) * (SPARK_H - 2)).toFixed(1)}`)
    .join(' ');
}

export interface Sparkline {
  el: SVGSVGElement;
  update(samples: QualitySample[]): void;
}

export function sparkline(): Sparkline {
  const el = svg('svg', {
    class: 'spark',
    viewBox: `0 0 ${SPARK_W} ${SPARK_H}`,
    width: SPARK_W,
    height: SPARK_H,
    'aria-hidden': 'true',
  });
  const jitter = svg('polyline', { class: 'spark-jitter', fill: 'none' });
  const loss = svg('polyline', { class: 'spark-loss', fill: 'none' });
  el.append(jitter, loss);
  return {
    el,
    update(samples) {
      const last = samples.slice(-SPARK_SAMPLES);
      jitter.setAttribute(
        'points',
        sparkPoints(
          last.map((s) => s.values.jitterMs ?? 0),
          JITTER_FLOOR_MS,
        ),
      );
      loss.setAttribute(
        'points',
        sparkPoints(
          last.map((s) => s.values.lossPercent ?? 0),
          LOSS_FLOOR_PERCENT,
        ),
      );
    },
  };
}
