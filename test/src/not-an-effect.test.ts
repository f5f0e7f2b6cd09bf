import { describe, expect, it } from 'vitest';
import { call, cpu, effectProblem, NotAnEffectError, notify, sleep, type Task } from '../../src/effects.js';
import { httpResponse, type HttpResponse } from '../../src/http.js';
import { ProcessNode } from '../../src/process.js';
import { RecorderNode, makeSim, request } from './helpers.js';

/** A process `web` whose one request runs `handler`; runs the sim and returns what it threw. */
function thrownBy(handler: () => Task<HttpResponse>): unknown {
  const sim = makeSim({ seed: 3 });
  const client = sim.addNode((id) => new RecorderNode(sim, id, 'client'));
  const web = sim.addNode((id) => new ProcessNode(sim, id, 'web', () => ({ handleRequest: handler })));
  sim.send('request', client.id, web.id, 0, -1, -1, request('/'));
  try {
    sim.run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the effect driver refuses what is not an effect, naming the process and the value', () => {
  it('a bare `yield` (undefined), not a TypeError about `kind`', () => {
    const error = thrownBy(function* () {
      yield undefined as never;
      return httpResponse(200, {}, 0);
    });
    expect(error).toBeInstanceOf(NotAnEffectError);
    expect((error as Error).message).toBe('process web: a task yielded undefined (a bare `yield`), not an effect (call, cpu, sleep or notify from uia-sim)');
  });

  it('a number, a command object, and `yield call(...)` without the star', () => {
    const cases: [unknown, string][] = [
      [42, 'the number 42'],
      [{ op: 'get', key: 'k' }, 'the object {"op":"get","key":"k"}'],
      [call(1, { op: 'get' }), 'a generator (`yield call(...)` where `yield* call(...)` was meant)'],
    ];
    for (const [value, described] of cases) {
      const error = thrownBy(function* () {
        yield value as never;
        return httpResponse(200, {}, 0);
      });
      expect((error as Error).message).toContain(`a task yielded ${described}, not an effect`);
    }
  });
});

describe('effectProblem', () => {
  it('accepts every effect the helpers make', () => {
    for (const task of [call(1, 'x'), cpu(5), sleep(0), notify(2, 'p', 10)]) expect(effectProblem(task.next().value)).toBeNull();
  });

  it('names what is wrong with anything else', () => {
    expect(effectProblem(null)).toBe('null');
    expect(effectProblem('get k')).toBe('the string "get k"');
    expect(effectProblem({ kind: 'call', to: 'db', command: 1 })).toBe('a call effect whose `to` is the string "db", not a node id');
    expect(effectProblem({ kind: 'sleep', ms: -1 })).toBe('a sleep effect whose `ms` is the number -1, not a duration');
    expect(effectProblem({ kind: 'wait' })).toBe('the object {"kind":"wait"}');
    expect(effectProblem({ op: 'x'.repeat(200) })).toMatch(/^the object \{"op":"x+\.\.\.$/);
  });
});
