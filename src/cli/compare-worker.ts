/** A worker thread of `compare`: computes the cells (and groups of cells) it is sent, under the supervisor's watchdog. */
import { workerData } from 'node:worker_threads';
import { listenToRunStarts } from '../../properties/check-case.js';
import { RunBeacon } from '../run/run-beacon.js';
import { serveTasks, type SupervisedWorkerData } from '../run/pool.js';
import { loadPluginRow, type PluginPaths } from './compare-cells.js';
import { computeTask, type CompareTask } from './compare-group.js';

const data = workerData as SupervisedWorkerData<PluginPaths>;
const beacon = new RunBeacon(data.beacon);
// A cell's scan runs are unrecorded: the supervisor rebuilds a hung one from its index (cellCaseAt).
listenToRunStarts((c, unrecorded) => (unrecorded ? beacon.startedUnrecorded() : beacon.started(c)));
const row = await loadPluginRow(data.setup);
serveTasks((task: CompareTask) => computeTask(task, row));
