/** Who did something, as written on the case timeline. */
export interface Actor {
  kind: 'citizen' | 'officer' | 'system';
  id?: string;
  name?: string;
}

export const SYSTEM: Actor = { kind: 'system' };

/** An officer acting on a case: their own unit's cases, and for supervisors those below (shared/cases/access.ts). */
export interface OfficerRef {
  /** Officer document id. */
  id: string;
  name: string;
  unitCode: string;
  /** Absent: a plain officer (own unit only). */
  role?: 'officer' | 'head' | 'executive' | 'admin';
}
