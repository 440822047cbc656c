/**
 * The one typed config. Loading and validation (file + env) live here; every other module
 * receives already-validated values.
 */
import type { BackendKind } from './domain/channel';

export interface AriBackendConfig {
  name: string;
  kind: 'ari';
  /** e.g. http://127.0.0.1:8088/ari */
  url: string;
  username: string;
  password: string;
  /** Stasis application whose /ari/events socket the gateway holds. */
  app: string;
  /** Per-request timeout for REST calls. */
  requestTimeoutMs: number;
}

export interface KazooCredentials {
  username: string;
  password: string;
  accountName: string;
}

export interface KazooBackendConfig {
  name: string;
  kind: 'kazoo';
  /** Crossbar base, e.g. http://127.0.0.1:8000/v2 */
  url: string;
  apiKey?: string;
  credentials?: KazooCredentials;
  /** The account the gateway acts for (32 hex). */
  accountId: string;
  /** Blackhole websocket, e.g. ws://127.0.0.1:5555 */
  blackholeUrl?: string;
  requestTimeoutMs: number;
}

export type BackendConfig = AriBackendConfig | KazooBackendConfig;

export interface GatewayConfig {
  port: number;
  host: string;
  database: { url?: string; dataDir: string };
  backends: BackendConfig[];
  /** true when no config file was given: embedded simulators + call generator. */
  demo: boolean;
}

export const BACKEND_KINDS: readonly BackendKind[] = ['ari', 'kazoo'];
