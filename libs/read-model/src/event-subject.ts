/** An object named in a vault: `coffer.events.<vault>.<token>.<name>`. */
export interface NamedSubject<K extends string = string> {
  kind: K;
  vault: string;
  name: string;
}
/** A vault's one object of a kind: `coffer.events.<vault>.<token>`. */
export interface VaultSubject<K extends string = string> {
  kind: K;
  vault: string;
}
/** A system object: `coffer.events._system.<token>.<id>`. */
export interface SystemSubject<K extends string = string> {
  kind: K;
  id: string;
}

/** What an event subject names; each kind declares its tokens and shapes in kinds/ (event-subject.parser.ts reads them). */
export type EventSubject = NamedSubject | VaultSubject | SystemSubject;
