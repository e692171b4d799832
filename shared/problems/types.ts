/**
 * The problem types citizens recognise (config/problem-types.json): what the chat and the LIFF form
 * offer, what the type suggestion scores, and what routing to partner agencies keys on. A type is
 * recorded on the case beside its subject category, and only the category (with the channel) decides
 * the report rows, so the official tables never depend on what the citizen picked.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SUBJECT_CATEGORY_CODES, type SubjectCategoryCode } from '../categories.ts';

const typeSchema = z.object({
  code: z.string().regex(/^[a-z][a-z_]{1,31}$/),
  th: z.string().min(1).max(40),
  en: z.string().min(1).max(60),
  /** For a chat button (LINE cuts labels at 20 characters, the icon takes up to 4 of them). */
  shortTh: z.string().min(1).max(16).optional(),
  shortEn: z.string().min(1).max(16).optional(),
  icon: z.string().min(1).max(8),
  category: z.enum(SUBJECT_CATEGORY_CODES),
  routing: z.enum(['direct', 'suggest']),
  hintTh: z.string().min(1),
  hintEn: z.string().min(1),
  examples: z.array(z.string()),
  keywords: z.array(z.string()),
}).strict();

export type ProblemType = Omit<z.infer<typeof typeSchema>, 'category'> & { category: SubjectCategoryCode };

/** Checks the file; a duplicate code would make two buttons record the same thing. */
export function parseProblemTypes(raw: unknown, source = 'config/problem-types.json'): ProblemType[] {
  const parsed = z.object({ types: z.array(typeSchema).min(1) }).passthrough().safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${source}: ${i.path.join('.')}: ${i.message}`);
  }
  const seen = new Set<string>();
  for (const t of parsed.data.types) {
    if (seen.has(t.code)) throw new Error(`${source}: type ${t.code} is listed twice`);
    seen.add(t.code);
  }
  return parsed.data.types as ProblemType[];
}

export const PROBLEM_TYPES: readonly ProblemType[] = parseProblemTypes(
  JSON.parse(readFileSync(new URL('../../config/problem-types.json', import.meta.url), 'utf8')),
);

export const PROBLEM_TYPE_CODES = PROBLEM_TYPES.map((t) => t.code);

export function problemType(code: string | null | undefined): ProblemType | undefined {
  return code ? PROBLEM_TYPES.find((t) => t.code === code) : undefined;
}
