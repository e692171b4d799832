/**
 * Report counters: the increments an event carries (written by the command with the case change),
 * applied exactly once per counter document (shared/reports/counters.ts). The command applies them
 * itself right after the case write; this consumer is what makes a crash in between heal by itself.
 * Likewise, for an event whose change moved the case's entry in the related-complaints index
 * (`data.rel`, shared/cases/caseUpdate.ts), that entry: re-read from the case and synced.
 */
import { isConsumed } from '../../shared/cases/outbox.ts';
import type { Models } from '../../shared/models/index.ts';
import { applyEventCounters } from '../../shared/reports/counters.ts';
import { resyncRelatedEntry } from '../../shared/related/openIndex.ts';
import type { EventConsumerDef } from './consumer.ts';

export function reportCountersConsumer(deps: { models: Models }): EventConsumerDef {
  return {
    name: 'counters',
    handle: async (event) => {
      await applyEventCounters(deps.models, event, (id) => isConsumed(deps.models, 'counters', id));
      if (event.data.rel) await resyncRelatedEntry(deps.models, event.caseId);
    },
  };
}
