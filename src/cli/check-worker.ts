/** A worker thread of `check`: scans ranges of runs and shrinks, under the supervisor's watchdog. */
import { workerData } from 'node:worker_threads';
import { listenToRunStarts } from '../../properties/check-case.js';
import { RunBeacon } from '../run/run-beacon.js';
import { serveTasks, type SupervisedWorkerData } from '../run/pool.js';
import { computeCheckTask, loadSpec, type CheckSpec, type CheckTask } from './check-runs.js';

const data = workerData as SupervisedWorkerData<CheckSpec>;
const beacon = new RunBeacon(data.beacon);
listenToRunStarts((c) => beacon.started(c));
const { settings } = await loadSpec(data.setup);
serveTasks((task: CheckTask) => computeCheckTask(settings, task));
