/** A worker thread that runs cases and posts back their trace hashes: the determinism test
 * proves a case hashes the same in another thread (another V8 isolate). */
import { parentPort, workerData } from 'node:worker_threads';
import { runCase, type Case } from '../models/world.js';

const cases = workerData as readonly Case[];
parentPort?.postMessage(cases.map((c) => runCase(c).traceHash));
