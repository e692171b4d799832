/**
 * "Counts by key": rows streamed from a cursor, grouped here, each group's count and the value
 * of its first row. The MongoDB way is an aggregation `$group`; FerretDB v1 decodes every document
 * and then groups in a single thread, slower than streaming a narrow projection and counting in
 * the process (StoreCaps.groupInServer). The keys counted here are also computed in code (the
 * report facts: working days, data completeness), which `$group` could not express, so the same
 * path runs on both engines.
 */
export interface TallyGroup<V> { value: V; n: number }

export async function tally<T, V>(rows: AsyncIterable<T>, keyOf: (row: T) => { key: string; value: () => V }): Promise<Map<string, TallyGroup<V>>> {
  const groups = new Map<string, TallyGroup<V>>();
  for await (const row of rows) {
    const { key, value } = keyOf(row);
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { value: value(), n: 1 });
  }
  return groups;
}
