/** A worker thread of `compare --jobs N`: computes the cells it is given, posts the summaries. */
import { parentPort, workerData } from 'node:worker_threads';
import { computeCell, loadPluginRow, type CellSpec } from './compare-cells.js';

const specs = workerData as readonly CellSpec[];
const row = await loadPluginRow(specs[0]?.plugins);
parentPort?.postMessage(specs.map((spec) => computeCell(spec, row)));
