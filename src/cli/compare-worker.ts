/** A worker thread of `compare --jobs N`: computes the cells it is given, posts the summaries. */
import { parentPort, workerData } from 'node:worker_threads';
import { computeCell, type CellSpec } from './compare-cells.js';

parentPort?.postMessage((workerData as readonly CellSpec[]).map(computeCell));
