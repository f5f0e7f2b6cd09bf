import { EXPECTATIONS_WORKLOAD } from '../../models/expectations.js';
import { barChart } from './bar-chart.js';

/**
 * `compare --format html`: one self-contained page (no network, no external script or style):
 * the verdict matrix, each cost as a bar chart, and every failure with its reason, its sequence
 * diagram (drawn by Mermaid, whose bundle is inlined) and a copyable replay token. Display only;
 * its input is the comparison's JSON report plus the diagrams and the bundle.
 */
export interface HtmlCell {
  readonly strategy: string;
  readonly faults: string;
  readonly verdict: 'not-found' | 'violated' | 'error';
  readonly expected: boolean;
  readonly expectation: { readonly verdict: string; readonly reason: string } | null;
  readonly runs: number;
  readonly violations: number;
  readonly requests: number | null;
  readonly why: string | null;
  readonly error: string | null;
  readonly token: string | null;
}

export interface HtmlCosts {
  readonly strategy: string;
  readonly hopsPerRequest: number | null;
  readonly storeRoundTripsPerOperation: number | null;
  readonly latencyP50Ms: number | null;
  readonly latencyP99Ms: number | null;
}

export interface HtmlReport {
  readonly property: string;
  readonly runs: number;
  readonly seed: number;
  readonly workload: string;
  readonly strategies: readonly string[];
  readonly faultProfiles: readonly string[];
  readonly cells: readonly HtmlCell[];
  readonly costs: readonly HtmlCosts[];
}

/** A failing cell's counterexample drawn: the Mermaid text and who it must show. */
export interface HtmlDiagram {
  readonly mermaid: string;
  readonly participants: readonly string[];
}

export interface HtmlAssets {
  /** Diagram per failing cell, keyed `strategy|faults`. */
  readonly diagrams: ReadonlyMap<string, HtmlDiagram>;
  /** Mermaid's browser bundle (mermaid.min.js), inlined so the page needs no network. */
  readonly mermaidScript: string;
  /** The comparison's JSON report (as `compare --json` prints it), embedded for programs. */
  readonly reportJson: string;
}

export function diagramKey(strategy: string, faults: string): string {
  return `${strategy}|${faults}`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}td.ok{background:#e6f4e6}td.lost{background:#fbe3e3}td.error{background:#fde9c9}
td.surprise{outline:3px solid #c00}code{word-break:break-all;font-size:12px}.bar{fill:#4a7bd0}svg.chart{margin:0 2em 1em 0;font-size:12px}
li{margin-bottom:2em}button{margin-left:.5em}.diagram{overflow-x:auto;max-width:100%}pre.source{font-size:11px;background:#f6f6f6;padding:.5em}`;

// Renders every diagram, then marks the page (the browser test waits for it); a failure is
// logged as a console error, which the test treats as a failure.
const SCRIPT = `document.querySelectorAll('button[data-token]').forEach(function(b){b.addEventListener('click',function(){
navigator.clipboard.writeText(b.getAttribute('data-token')).then(function(){b.textContent='copied'},function(){b.textContent='select the token above'})})});
if(window.mermaid){mermaid.initialize({startOnLoad:false,securityLevel:'strict',sequence:{useMaxWidth:false}});
mermaid.run({querySelector:'pre.mermaid'}).then(function(){document.body.setAttribute('data-diagrams','done')},function(e){console.error('mermaid: '+e);document.body.setAttribute('data-diagrams','error')})}
else{document.body.setAttribute('data-diagrams','none')}`;

export function renderHtml(report: HtmlReport, assets: HtmlAssets): string {
  const failures: HtmlCell[] = [];
  const header = `<tr><th>strategy</th>${report.faultProfiles.map((f) => `<th>${escape(f)}</th>`).join('')}</tr>`;
  const rows = report.strategies.map((strategy) => {
    const cells = report.faultProfiles.map((faults) => {
      const cell = report.cells.find((c) => c.strategy === strategy && c.faults === faults);
      if (cell === undefined) return '<td></td>';
      const title =
        cell.expectation !== null
          ? `expected ${cell.expectation.verdict}: ${cell.expectation.reason}`
          : report.workload === EXPECTATIONS_WORKLOAD
            ? 'no expectation: models/expectations.ts has none for this cell'
            : `no expectation: models/expectations.ts is written for the ${EXPECTATIONS_WORKLOAD} workload`;
      const classes = `${cell.verdict === 'not-found' ? 'ok' : cell.verdict === 'error' ? 'error' : 'lost'}${cell.expected ? '' : ' surprise'}`;
      let text = 'ok';
      if (cell.verdict !== 'not-found') {
        failures.push(cell);
        text = cell.verdict === 'error' ? `ERROR <a href="#f${failures.length}">[${failures.length}]</a>` : `${Math.round((100 * cell.violations) / cell.runs)}% <a href="#f${failures.length}">[${failures.length}]</a>`;
      }
      return `<td class="${classes}" title="${escape(title)}" data-strategy="${escape(strategy)}" data-faults="${escape(faults)}" data-verdict="${cell.verdict}">${text}</td>`;
    });
    return `<tr><th>${escape(strategy)}</th>${cells.join('')}</tr>`;
  });
  const chart = (title: string, id: string, value: (c: HtmlCosts) => number | null): string =>
    barChart(title, report.costs.map((c) => ({ label: c.strategy, value: value(c) })), id);
  const charts = [
    chart('network hops per client request', 'chart-hops', (c) => c.hopsPerRequest),
    chart('store round trips per registration', 'chart-trips', (c) => c.storeRoundTripsPerOperation),
    chart('latency p50 (virtual ms)', 'chart-p50', (c) => c.latencyP50Ms),
    chart('latency p99 (virtual ms)', 'chart-p99', (c) => c.latencyP99Ms),
  ];
  const items = failures.map((cell, i) => {
    const what = cell.error ?? `${cell.violations}/${cell.runs} runs; minimal counterexample: ${cell.requests} requests. ${cell.why ?? ''}`;
    const token = cell.token ?? '';
    const diagram = assets.diagrams.get(diagramKey(cell.strategy, cell.faults));
    const drawn =
      diagram === undefined
        ? ''
        : `<div class="diagram"><pre class="mermaid">${escape(diagram.mermaid)}</pre></div><details><summary>Mermaid source (paste into GitHub)</summary><pre class="source">${escape(diagram.mermaid)}</pre></details>`;
    const participants = diagram === undefined ? '' : ` data-participants="${escape(diagram.participants.join(','))}"`;
    return `<li id="f${i + 1}" class="failure" data-strategy="${escape(cell.strategy)}" data-faults="${escape(cell.faults)}"${participants}><b>[${i + 1}] ${escape(cell.strategy)} under ${escape(cell.faults)}</b>${cell.expected ? '' : ' <b>(unexpected)</b>'}<br>${escape(what)}<br><code class="token">uiasim replay ${escape(token)}</code><button data-token="${escape(token)}">copy token</button>${drawn}</li>`;
  });
  // The bundle goes in a script element: only "</script" could end it early, and mermaid's
  // minified text has none (checked when it is loaded).
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>uia-sim: ${escape(report.property)}</title><style>${STYLE}</style></head>
<body>
<h1>${escape(report.property)}</h1>
<p>Workload ${escape(report.workload)}, ${report.runs} runs per cell, seed ${report.seed}. A cell shows "ok" (not found) or the share of runs that failed; a red outline marks a verdict models/expectations.ts does not expect; hover a cell for its expectation.</p>
<table id="matrix">${header}${rows.join('')}</table>
<h2>Costs (steady)</h2>
<div id="costs">${charts.join('')}</div>
<h2>Failures</h2>
<p>Each failure's minimal counterexample as a sequence diagram: the losing response is in the red band. Replay one with <code>uiasim replay TOKEN</code> (a timeline) or <code>--format mermaid</code>.</p>
<ol id="failures">${items.join('')}</ol>
<script type="application/json" id="report-data">${assets.reportJson.replace(/</g, '\\u003c')}</script>
<script>${assets.mermaidScript}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
