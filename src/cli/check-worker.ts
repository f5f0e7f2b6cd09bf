/** A worker thread of `check`: scans ranges of runs and shrinks, under the supervisor's watchdog. */
import { workerData } from 'node:worker_threads';
import { listenToRunStarts } from '../../properties/check-case.js';
import { RunBeacon } from '../run/run-beacon.js';
import { serveTasks, type SupervisedWorkerData } from '../run/pool.js';
import { computeCheckTask, loadSpec, type CheckSpec, type CheckTask } from './check-runs.js';

const data = workerData as SupervisedWorkerData<CheckSpec>;
const beacon = new RunBeacon(data.beacon);
// A scan's hung run is rebuilt from its index by the supervisor (scanRange's runs are unrecorded),
// so a scan only counts its runs; a shrink candidate cannot be rebuilt, so its case is written
// down before it runs.
listenToRunStarts((c, unrecorded) => (unrecorded ? beacon.startedUnrecorded() : beacon.started(c)));
const { settings } = await loadSpec(data.setup);
serveTasks((task: CheckTask) => computeCheckTask(settings, task));
