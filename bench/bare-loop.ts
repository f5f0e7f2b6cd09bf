import type { HttpRequest, HttpResponse } from '../src/http.js';
import { Rng } from '../src/rng.js';
import { clientScript, TIMED_OUT } from '../models/clients/registration-client.js';
import { clientIp, wholeRegistration } from '../models/clients/workload.js';
import { route, type SynapseProcessConfig } from '../models/synapse/app.js';
import type { SynapseContext } from '../models/synapse/context.js';
import { SynapseDatabase } from '../models/synapse/database.js';
import { PROFILES } from '../models/synapse/profile.js';
import { findStrategy } from '../models/strategies.js';
import type { Case } from '../models/world.js';
import { DEFAULT_CONFIG } from '../models/synapse/config.js';
import { Ratelimiter } from '../models/synapse/ratelimiter.js';

/** The steady workload of the benchmark: 4 clients, each the whole registration with the
 * captcha on the fallback page, no pauses, no faults. */
export function steadyCase(strategy: 'memory-1.8' | 'sql', seed: number): Case {
  const spec = wholeRegistration();
  return {
    strategy,
    profile: strategy === 'sql' ? '1.13' : '1.8',
    faultProfile: 'steady',
    workload: { clients: [spec, spec, spec, spec] },
    faultPlan: { faults: [] },
    tapes: { actors: [[], [], [], [], [], [], [], []], shared: [] },
    seed,
  };
}

/**
 * The same client scripts, servlets, stores and database as a simulated run, called directly:
 * no scheduler, no network, no trace. Returns the number of answered requests.
 */
export function runBareLoop(c: Case): number {
  const strategy = findStrategy(c.strategy);
  if (strategy === undefined) throw new Error(`bare loop: unknown strategy ${c.strategy}`);
  const database = new SynapseDatabase();
  const rng = new Rng(c.seed, '');
  const processes = ['main', 'reader1', 'reader2'].map((name, id) => {
    const config: SynapseProcessConfig = {
      role: name === 'main' ? 'main' : 'worker',
      profile: PROFILES[c.profile],
      store: strategy.store,
      database: 0,
      storeNode: strategy.store.placement === 'process' ? -1 : 0,
      serverName: 'test',
    };
    const processRng = rng.child(`${name}#1`);
    const ctx: SynapseContext = {
      profile: config.profile,
      store: strategy.store.connect({ newSessionId: () => processRng.letters(24), nowMs: () => 0, serviceNode: config.storeNode }),
      database: 0,
      processId: id + 1,
      rng: processRng,
      serverName: 'test',
      nowMs: () => 0,
      fact: () => undefined,
      config: DEFAULT_CONFIG,
      failedUiaAttempts: new Ratelimiter(DEFAULT_CONFIG.rcLoginFailedAttempts),
    };
    return { ctx, config };
  });
  let roundRobin = 0;
  const registerUpstreams = strategy.routing.pools['register']?.upstreams ?? [];
  const pick = (request: HttpRequest) => {
    if (!request.path.endsWith('/register')) return processes[0];
    const name = registerUpstreams[roundRobin++ % registerUpstreams.length];
    return processes.find((_, i) => ['main', 'reader1', 'reader2'][i] === name) ?? processes[0];
  };

  let answered = 0;
  c.workload.clients.forEach((spec, index) => {
    // No concurrency here: a script the client would run alongside runs to its end at once.
    const scripts = [clientScript(spec, `user${index}`, clientIp(index))];
    let input: HttpResponse = TIMED_OUT;
    while (scripts.length > 0) {
      const script = scripts[scripts.length - 1] as ReturnType<typeof clientScript>;
      const step = script.next(input);
      input = TIMED_OUT;
      if (step.done === true) {
        scripts.pop();
        continue;
      }
      if (step.value.kind === 'pause') continue;
      if (step.value.kind === 'spawn') {
        scripts.push(step.value.script);
        continue;
      }
      const target = pick(step.value.request);
      if (target === undefined) throw new Error('bare loop: no process');
      const handler = route(target.ctx, target.config, step.value.request);
      let result = handler.next();
      while (result.done !== true) {
        const effect = result.value;
        result = handler.next(effect.kind === 'call' ? database.execute(effect.command, 0) : undefined);
      }
      input = result.value;
      answered++;
    }
  });
  return answered;
}
