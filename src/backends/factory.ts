import type { BackendConfig } from '../config';
import { AriBackend } from './ari/backend';
import { KazooBackend } from './kazoo/backend';
import type { Backend } from './types';

export function createBackend(config: BackendConfig): Backend {
  switch (config.kind) {
    case 'ari':
      return new AriBackend(config);
    case 'kazoo':
      return new KazooBackend(config);
  }
}
