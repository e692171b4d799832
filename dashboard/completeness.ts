/** The completeness rules live with the report counters that tally them (shared/reports/completeness.ts). */
export * from '../shared/reports/completeness.ts';
