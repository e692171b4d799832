/**
 * What every case command is given: the models, the clock, how events are queued, the SLA context.
 * In a module of its own so that the write path (caseUpdate.ts) and the commands both name it
 * without importing each other.
 */
import type { Clock } from '../clock.ts';
import type { Models } from '../models/index.ts';
import type { SlaContext } from '../sla/load.ts';
import type { PublishEvents } from './events.ts';

export interface DomainDeps {
  models: Models;
  clock: Clock;
  publish: PublishEvents;
  /** SLA policy and working calendar; absent: the process's, from the config files (shared/sla/load.ts). */
  sla?: SlaContext;
  /**
   * false: leave the report counters to the worker's counters consumer (the state a crash right after
   * the case write leaves). Default true: counted at once, so reports move with the command.
   */
  countInline?: boolean;
}
