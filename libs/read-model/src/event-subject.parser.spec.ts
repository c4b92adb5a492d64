import { Streams } from '@coffer/contracts';
import { parseEventSubject } from './event-subject.parser';
import { UnprojectableEventError } from './read-model.errors';

describe('parseEventSubject', () => {
  it('reads vault, secret and key subjects built by Streams.events', () => {
    expect(parseEventSubject(Streams.events.vault('prod'))).toEqual({ kind: 'vault', vault: 'prod' });
    expect(parseEventSubject(Streams.events.secret('prod', 'db-pass'))).toEqual({ kind: 'secret', vault: 'prod', name: 'db-pass' });
    expect(parseEventSubject(Streams.events.key('prod', 'signing'))).toEqual({ kind: 'key', vault: 'prod', name: 'signing' });
    expect(parseEventSubject(Streams.events.certificate('prod', 'web'))).toEqual({ kind: 'certificate', vault: 'prod', name: 'web' });
    expect(parseEventSubject(Streams.events.issuer('prod', 'root'))).toEqual({ kind: 'issuer', vault: 'prod', name: 'root' });
    expect(parseEventSubject(Streams.events.contacts('prod'))).toEqual({ kind: 'certificateContacts', vault: 'prod' });
  });

  it.each(['coffer.events.prod', 'coffer.events.prod.certificate', 'coffer.events.prod.issuer.a.b', 'coffer.events.prod.key', 'coffer.events.prod.key.a.b', 'coffer.events.prod.secret', 'coffer.keyring.prod.secret.a', 'coffer.events.prod.secret.a.b'])(
    'rejects %s',
    (subject) => expect(() => parseEventSubject(subject)).toThrow(UnprojectableEventError),
  );
});
