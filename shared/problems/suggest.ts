/** The problem types the citizen's words point to, from config/problem-types.json (the matcher: match.ts). */
import { suggestFrom, type TypeSuggestion } from './match.ts';
import { PROBLEM_TYPES } from './types.ts';

export { normaliseText, parseKeyword, type TypeSuggestion } from './match.ts';

/** Ranked suggestions, best first; empty when no keyword is found (offer the most common types then). */
export function suggestProblemTypes(text: string): TypeSuggestion[] {
  return suggestFrom(PROBLEM_TYPES, text);
}
