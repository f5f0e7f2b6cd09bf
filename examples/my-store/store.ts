// store.ts: sessions in a durable key-value service, one key per completed stage.
import { call, type Task } from 'uia-sim';
import type { SessionRecord, SessionStore, StoreContext, StoreDefinition, StoreService } from 'uia-sim/models';

/** The service: a map of keys to values; each command is one atomic step at the node. */
type Command =
  | { op: 'get'; key: string }
  | { op: 'put'; key: string; value: unknown }
  | { op: 'putIfAbsent'; key: string; value: unknown }
  | { op: 'list'; prefix: string };

class KeyValueService implements StoreService {
  private readonly values = new Map<string, unknown>();

  execute(command: unknown): unknown {
    const c = command as Command;
    switch (c.op) {
      case 'get':
        return this.values.get(c.key);
      case 'put':
        this.values.set(c.key, c.value);
        return true;
      case 'putIfAbsent':
        if (this.values.has(c.key)) return false;
        this.values.set(c.key, c.value);
        return true;
      case 'list':
        return [...this.values].filter(([key]) => key.startsWith(c.prefix));
    }
  }
}

/** The store: every method is one or more round trips to the service (`yield* call(...)`). */
class PerStageStore implements SessionStore {
  constructor(private readonly context: StoreContext) {}

  private *run<T>(command: Command): Task<T> {
    return yield* call<T>(this.context.serviceNode, command);
  }

  *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    for (;;) {
      const id = this.context.newSessionId();
      const record: SessionRecord = { id, clientdict, uri, method, description, creationTimeMs: nowMs };
      if (yield* this.run<boolean>({ op: 'putIfAbsent', key: `session/${id}`, value: record })) return id;
    }
  }

  *getSession(id: string): Task<SessionRecord | undefined> {
    return yield* this.run<SessionRecord | undefined>({ op: 'get', key: `session/${id}` });
  }

  *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    if ((yield* this.getSession(id)) === undefined) return false; // unknown session: a value
    return yield* this.run<boolean>({ op: 'put', key: `stage/${id}/${stage}`, value: result });
  }

  *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    const rows = yield* this.run<[string, unknown][]>({ op: 'list', prefix: `stage/${id}/` });
    return new Map(rows.map(([key, value]) => [key.slice(`stage/${id}/`.length), value]));
  }

  *setClientdict(id: string, clientdict: Record<string, unknown>): Task<void> {
    const record = yield* this.getSession(id);
    if (record !== undefined) yield* this.run({ op: 'put', key: `session/${id}`, value: { ...record, clientdict } });
  }

  *setSessionData(id: string, key: string, value: unknown): Task<void> {
    yield* this.run({ op: 'put', key: `data/${id}/${key}`, value });
  }

  *getSessionData(id: string, key: string): Task<unknown> {
    return yield* this.run({ op: 'get', key: `data/${id}/${key}` });
  }

  *addUserAgentIp(): Task<void> {}

  *deleteOldSessions(): Task<number> {
    return 0; // this example keeps sessions forever
  }
}

export const store: StoreDefinition = {
  name: 'per-stage',
  backend: 'kv',
  placement: 'service',
  durable: true,
  service: { name: 'kv', create: () => new KeyValueService() },
  connect: (context) => new PerStageStore(context),
};
