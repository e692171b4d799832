import { ConfigError } from '../shared/config.ts';

/** Runs a process entry point: config and missing-dependency errors print one clear line, not a stack. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: Error) => {
    if (err instanceof ConfigError || err.name === 'MissingDependencyError') {
      console.error(`rongrian: ${err.message}`);
    } else {
      console.error(err);
    }
    process.exit(1);
  });
}

/** Closes everything once on SIGTERM/SIGINT; a second signal forces exit. */
export function onShutdown(close: () => Promise<void>, log: { info: (m: string) => void } = console): void {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    log.info(`${signal} received, shutting down`);
    close().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}
