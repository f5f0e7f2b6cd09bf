/** A worker thread of `explore`: depth-first tasks (src/explore/split.ts) and slices of levels, under the supervisor's watchdog. */
import { workerData } from 'node:worker_threads';
import { RunBeacon } from '../run/run-beacon.js';
import { serveTasks, type SupervisedWorkerData } from '../run/pool.js';
import { computeExploreTask, loadExplore, type ExploreSpec, type ExploreTask } from './explore-tasks.js';

const data = workerData as SupervisedWorkerData<ExploreSpec>;
const beacon = new RunBeacon(data.beacon);
// A path is rebuilt from nothing the supervisor knows, so a hung run is reported without its case.
const loaded = await loadExplore(data.setup, () => beacon.startedUnrecorded());
serveTasks((task: ExploreTask) => computeExploreTask(loaded, task));
