/** One horizontal bar chart as inline SVG (no script, no network): a bar per strategy. */
export interface Bar {
  readonly label: string;
  readonly value: number | null;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const ROW_PX = 18;
const LABEL_PX = 110;
const BAR_PX = 220;

export function barChart(title: string, bars: readonly Bar[], id: string): string {
  const max = Math.max(1e-9, ...bars.map((b) => b.value ?? 0));
  const height = (bars.length + 1) * ROW_PX + 6;
  const width = LABEL_PX + BAR_PX + 70;
  const rows = bars.map((b, i) => {
    const y = (i + 1) * ROW_PX;
    const w = b.value === null ? 0 : Math.max(1, Math.round((BAR_PX * b.value) / max));
    return (
      `<text x="${LABEL_PX - 6}" y="${y + 12}" text-anchor="end">${escapeXml(b.label)}</text>` +
      `<rect class="bar" x="${LABEL_PX}" y="${y + 2}" width="${w}" height="${ROW_PX - 5}" data-strategy="${escapeXml(b.label)}"></rect>` +
      `<text x="${LABEL_PX + w + 4}" y="${y + 12}">${b.value === null ? 'n/a' : b.value.toFixed(2)}</text>`
    );
  });
  return (
    `<svg class="chart" id="${escapeXml(id)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">` +
    `<text x="0" y="12" font-weight="bold">${escapeXml(title)}</text>${rows.join('')}</svg>`
  );
}
