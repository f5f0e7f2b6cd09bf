/**
 * `compare --format html`: one self-contained page (no network, no external script or style):
 * the verdict matrix, the costs as bars, and every failure with its reason and a copyable
 * replay token. Display only; its input is the comparison's JSON report.
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
  readonly strategies: readonly string[];
  readonly faultProfiles: readonly string[];
  readonly cells: readonly HtmlCell[];
  readonly costs: readonly HtmlCosts[];
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}td.ok{background:#e6f4e6}td.lost{background:#fbe3e3}td.error{background:#fde9c9}
td.surprise{outline:3px solid #c00}code{word-break:break-all;font-size:12px}.bar{background:#4a7bd0;height:10px;display:inline-block}
li{margin-bottom:1em}button{margin-left:.5em}`;

const SCRIPT = `document.querySelectorAll('button[data-token]').forEach(function(b){b.addEventListener('click',function(){
navigator.clipboard.writeText(b.getAttribute('data-token')).then(function(){b.textContent='copied'})})})`;

export function renderHtml(report: HtmlReport): string {
  const failures: HtmlCell[] = [];
  const header = `<tr><th>strategy</th>${report.faultProfiles.map((f) => `<th>${escape(f)}</th>`).join('')}</tr>`;
  const rows = report.strategies.map((strategy) => {
    const cells = report.faultProfiles.map((faults) => {
      const cell = report.cells.find((c) => c.strategy === strategy && c.faults === faults);
      if (cell === undefined) return '<td></td>';
      const title = cell.expectation === null ? 'no expectation (a plug-in row)' : `expected ${cell.expectation.verdict}: ${cell.expectation.reason}`;
      const classes = `${cell.verdict === 'not-found' ? 'ok' : cell.verdict === 'error' ? 'error' : 'lost'}${cell.expected ? '' : ' surprise'}`;
      let text = 'ok';
      if (cell.verdict !== 'not-found') {
        failures.push(cell);
        text = cell.verdict === 'error' ? `ERROR <a href="#f${failures.length}">[${failures.length}]</a>` : `${Math.round((100 * cell.violations) / cell.runs)}% <a href="#f${failures.length}">[${failures.length}]</a>`;
      }
      return `<td class="${classes}" title="${escape(title)}" data-strategy="${escape(strategy)}" data-faults="${escape(faults)}">${text}</td>`;
    });
    return `<tr><th>${escape(strategy)}</th>${cells.join('')}</tr>`;
  });
  const maxHops = Math.max(1, ...report.costs.map((c) => c.hopsPerRequest ?? 0));
  const maxTrips = Math.max(1, ...report.costs.map((c) => c.storeRoundTripsPerOperation ?? 0));
  const bar = (value: number | null, max: number): string =>
    value === null ? 'n/a' : `<span class="bar" style="width:${Math.round((120 * value) / max)}px"></span> ${value.toFixed(2)}`;
  const costs = report.costs.map(
    (c) =>
      `<tr><th>${escape(c.strategy)}</th><td>${bar(c.hopsPerRequest, maxHops)}</td><td>${bar(c.storeRoundTripsPerOperation, maxTrips)}</td><td>${c.latencyP50Ms ?? 'n/a'}</td><td>${c.latencyP99Ms ?? 'n/a'}</td></tr>`,
  );
  const items = failures.map((cell, i) => {
    const what = cell.error ?? `${cell.violations}/${cell.runs} runs; minimal counterexample: ${cell.requests} requests. ${cell.why ?? ''}`;
    const token = cell.token ?? '';
    return `<li id="f${i + 1}"><b>[${i + 1}] ${escape(cell.strategy)} under ${escape(cell.faults)}</b>${cell.expected ? '' : ' <b>(unexpected)</b>'}<br>${escape(what)}<br><code>uiasim replay ${escape(token)}</code><button data-token="${escape(token)}">copy token</button></li>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>uia-sim: ${escape(report.property)}</title><style>${STYLE}</style></head>
<body>
<h1>${escape(report.property)}</h1>
<p>${report.runs} runs per cell, seed ${report.seed}. A cell shows "ok" (not found) or the share of runs that failed; a red outline marks a verdict models/expectations.ts does not expect; hover a cell for its expectation.</p>
<table id="matrix">${header}${rows.join('')}</table>
<h2>Costs (steady)</h2>
<table id="costs"><tr><th>strategy</th><th>hops per request</th><th>store round trips per operation</th><th>p50 ms</th><th>p99 ms</th></tr>${costs.join('')}</table>
<h2>Failures</h2>
<ol id="failures">${items.join('')}</ol>
<script>${SCRIPT}</script>
</body></html>
`;
}
