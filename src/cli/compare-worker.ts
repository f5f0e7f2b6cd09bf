/** A worker thread of `compare --jobs N`: computes the cells it is given, posts the summaries. */
import { workerData } from 'node:worker_threads';
import { serveWorkItems } from '../run/pool.js';
import { computeCell, loadPluginRow, type CellSpec } from './compare-cells.js';

const specs = workerData as readonly CellSpec[];
const row = await loadPluginRow(specs[0]?.plugins);
serveWorkItems(specs, (spec) => computeCell(spec, row));
