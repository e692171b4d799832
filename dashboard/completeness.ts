/** The completeness rules live with the cases (shared/cases/completeness.ts): the report counters tally them. */
export * from '../shared/cases/completeness.ts';
