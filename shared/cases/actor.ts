/** Who did something, as written on the case timeline. */
export interface Actor {
  kind: 'citizen' | 'officer' | 'system';
  id?: string;
  name?: string;
}

export const SYSTEM: Actor = { kind: 'system' };
