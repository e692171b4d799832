// The parts of autocannon 9 (which ships no types) that bench/webhook.ts uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  /** One connection. `getRequestBuffer`, `rate`, `rateInterval`, `reqsMadeThisSecond`, `paused` and `_doRequest` are internals. */
  export interface Client extends EventEmitter {
    getRequestBuffer(): Buffer;
    rate?: number;
    rateInterval?: ReturnType<typeof setInterval>;
    reqsMadeThisSecond: number;
    paused?: boolean;
    destroyed: boolean;
    _doRequest(): void;
  }

  export interface Options {
    url: string;
    method?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    connections?: number;
    duration?: number;
    overallRate?: number;
    timeout?: number;
    ignoreCoordinatedOmission?: boolean;
    setupClient?: (client: Client) => void;
  }

  export interface Histogram { average: number; mean: number; p50: number; p99: number; max: number; min: number; total: number; sent?: number }

  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram;
  }

  export interface Tracker extends EventEmitter {
    stop(): void;
  }

  export default function autocannon(opts: Options, cb: (err: Error | null, result: Result) => void): Tracker;
}
