/** A small hand-written SVG line chart: panels with a linear x axis and a log-scale y axis. */

export interface Series {
  name: string;
  color: string;
  dash?: boolean;
  points: [number, number][];
}

export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fmtTick(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  if (v >= 1) return String(v);
  return String(Number(v.toPrecision(2)));
}

function panelSvg(p: Panel, x0: number, y0: number, w: number, h: number): string {
  const pts = p.series.flatMap((s) => s.points).filter(([, y]) => y > 0 && Number.isFinite(y));
  const out: string[] = [];
  const left = x0 + 58, right = x0 + w - 12, top = y0 + 28, bottom = y0 + h - 40;
  out.push(`<text x="${x0 + w / 2}" y="${y0 + 16}" text-anchor="middle" font-size="13" font-weight="bold">${esc(p.title)}</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#999" stroke-width="0.8"/>`);
  if (pts.length === 0) {
    out.push(`<text x="${(left + right) / 2}" y="${(top + bottom) / 2}" text-anchor="middle" font-size="12" fill="#666">no data</text>`);
    return out.join('\n');
  }
  const xs = pts.map(([x]) => x);
  const xMin = Math.min(0, ...xs), xMax = Math.max(...xs, 1);
  const lo = Math.floor(Math.log10(Math.min(...pts.map(([, y]) => y))));
  let hi = Math.ceil(Math.log10(Math.max(...pts.map(([, y]) => y))));
  if (hi === lo) hi = lo + 1;
  const sx = (x: number): number => left + ((x - xMin) / (xMax - xMin || 1)) * (right - left);
  const sy = (y: number): number => bottom - ((Math.log10(y) - lo) / (hi - lo)) * (bottom - top);
  // y grid: decades
  for (let e = lo; e <= hi; e++) {
    const y = sy(10 ** e);
    out.push(`<line x1="${left}" y1="${y.toFixed(1)}" x2="${right}" y2="${y.toFixed(1)}" stroke="#e4e4e4" stroke-width="0.8"/>`);
    out.push(`<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="10" fill="#444">${fmtTick(10 ** e)}</text>`);
  }
  // x ticks
  const step = xMax <= 10 ? 1 : xMax <= 20 ? 5 : 10;
  for (let x = Math.ceil(xMin / step) * step; x <= xMax; x += step) {
    const px = sx(x);
    out.push(`<line x1="${px.toFixed(1)}" y1="${bottom}" x2="${px.toFixed(1)}" y2="${bottom + 4}" stroke="#999"/>`);
    out.push(`<text x="${px.toFixed(1)}" y="${bottom + 15}" text-anchor="middle" font-size="10" fill="#444">${x}</text>`);
  }
  out.push(`<text x="${(left + right) / 2}" y="${bottom + 31}" text-anchor="middle" font-size="11">${esc(p.xLabel)}</text>`);
  out.push(`<text x="${x0 + 13}" y="${(top + bottom) / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 ${x0 + 13} ${(top + bottom) / 2})">${esc(p.yLabel)}</text>`);
  // series
  p.series.forEach((s, i) => {
    const good = s.points.filter(([, y]) => y > 0 && Number.isFinite(y)).sort((a, b) => a[0] - b[0]);
    if (good.length) {
      const d = good.map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dash ? ' stroke-dasharray="5,3"' : ''}/>`);
      for (const [x, y] of good) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.4" fill="${s.color}"/>`);
    }
    // legend, top left inside the frame
    const ly = top + 14 + i * 14;
    out.push(`<line x1="${left + 8}" y1="${ly - 4}" x2="${left + 26}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dash ? ' stroke-dasharray="5,3"' : ''}/>`);
    out.push(`<text x="${left + 30}" y="${ly}" font-size="10" fill="#222">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

/** Panels laid out in rows of `perRow`. */
export function chart(title: string, panels: Panel[], perRow = 3, w = 330, h = 260): string {
  const rows = Math.ceil(panels.length / perRow);
  const W = perRow * w, H = rows * h + 34;
  const body = panels.map((p, i) => panelSvg(p, (i % perRow) * w, 34 + Math.floor(i / perRow) * h, w, h)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}
