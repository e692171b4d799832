/** Who did something, as written on the case timeline. */
export interface Actor {
  kind: 'citizen' | 'officer' | 'system';
  id?: string;
  name?: string;
}

export const SYSTEM: Actor = { kind: 'system' };

/** An officer acting on a case: only cases of their own unit are theirs to act on. */
export interface OfficerRef {
  /** Officer document id. */
  id: string;
  name: string;
  unitCode: string;
}
