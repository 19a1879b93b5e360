// The prediction details view: renders PredictionDetails posted by the extension (no inline code; CSP-locked).
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  /** @type {any} */ let details;
  /** Why the shown details are out of date, or '' when they are current. */
  let stale = '';
  let sortKey = 'rank';
  let ascending = true;
  let showZeroPlugins = false;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children)
      if (c !== undefined && c !== null) e.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
    return e;
  }

  // Widths go through the CSSOM: the CSP forbids style attributes.
  function bar(percent) {
    const b = el('span', { class: 'bar' });
    b.style.width = `${percent}%`;
    return b;
  }

  function value(row, key) {
    if (key === 'name') return row.name;
    if (key === 'rank') return row.rank ?? Number.MAX_SAFE_INTEGER;
    if (key === 'total') return row.total ?? -1;
    if (key === 'filter') return row.feasible ? '' : row.filter ? row.filter.plugin : '~';
    const s = (row.scores || []).find((x) => x.plugin === key);
    return s ? s.weighted : -1;
  }

  function sorted(rows) {
    const out = [...rows];
    out.sort((a, b) => {
      const x = value(a, sortKey);
      const y = value(b, sortKey);
      const c = x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : 1;
      return ascending ? c : -c;
    });
    return out;
  }

  function header(key, label, cls) {
    const th = el(
      'th',
      {
        class: `${cls || ''} ${sortKey === key ? 'sorted' + (ascending ? ' asc' : '') : ''}`,
        'data-key': key,
        onclick: () => {
          if (sortKey === key) ascending = !ascending;
          else {
            sortKey = key;
            ascending = key === 'rank' || key === 'name' || key === 'filter';
          }
          render();
        },
      },
      label,
    );
    return th;
  }

  function render() {
    if (!details || !app) return;
    app.replaceChildren();
    if (stale)
      app.append(
        el(
          'div',
          { class: 'stale', id: 'stale', role: 'status' },
          `Out of date: ${stale}. `,
          el('button', { id: 'recompute', onclick: () => vscode.postMessage({ type: 'recompute' }) }, 'Recompute'),
        ),
      );
    app.append(el('h1', {}, details.title || 'Prediction'));
    app.append(el('div', { class: 'summary', id: 'summary' }, details.summary));
    const meta = [];
    if (details.schedulerName) meta.push(`profile ${details.schedulerName}`);
    if (details.numAllNodes !== undefined) meta.push(`${details.feasibleNodes}/${details.numAllNodes} nodes fit`);
    if (details.tiedNodes) meta.push(`tie between ${details.tiedNodes.join(', ')}`);
    app.append(
      el(
        'div',
        { class: 'muted' },
        meta.join(' · '),
        ' ',
        el('button', { id: 'copy', onclick: () => vscode.postMessage({ type: 'copyMarkdown' }) }, 'Copy as Markdown'),
      ),
    );
    if (details.actual) {
      const a = details.actual;
      app.append(
        el(
          'p',
          {},
          a.nodeName
            ? `Actual: scheduled on ${a.nodeName}${details.selectedNode ? (a.nodeName === details.selectedNode ? ' ✓' : ` (predicted ${details.selectedNode})`) : ''}`
            : `Actual: ${a.phase || 'Pending'}${a.message ? ` — ${a.message}` : ''}`,
        ),
      );
    }
    for (const e of details.errors || []) app.append(el('p', { class: 'error' }, `⚠ ${e}`));
    if (details.failure) app.append(el('div', { class: 'failure', id: 'failure' }, details.failure));
    const pre = details.preemption;
    if (pre && pre.nominatedNode) {
      app.append(el('h2', {}, `Preemption: ${pre.victims.length} victim(s) on ${pre.nominatedNode}`));
      const ul = el('ul', { id: 'victims' });
      for (const v of pre.victims) ul.append(el('li', {}, `${v.namespace}/${v.name} (priority ${v.priority})`));
      app.append(ul);
    }
    if (details.placement) {
      const p = details.placement;
      const where = Object.entries(p.perNode)
        .map(([n, c]) => `${n} ×${c}`)
        .join(', ');
      app.append(
        el(
          'p',
          {},
          `Replicas: ${p.placed} of ${p.requested} fit now${where ? ` (${where})` : ''}.${p.failure ? ` Then: ${p.failure}` : ''}`,
        ),
      );
    }
    const rows = details.nodes || [];
    const scored = rows
      .filter((r) => r.total !== undefined)
      .sort((a, b) => b.total - a.total)
      .slice(0, 20);
    if (scored.length > 0) {
      app.append(el('h2', {}, 'Totals'));
      const max = Math.max(1, ...scored.map((r) => r.total));
      const chart = el('div', { class: 'chart', id: 'chart' });
      for (const r of scored) {
        chart.append(
          el(
            'div',
            { class: `bar-row ${r.name === details.selectedNode ? 'selected' : ''}` },
            el('span', { class: 'bar-label', title: r.name }, r.name),
            bar(Math.round((r.total / max) * 60)),
            el('span', { class: 'bar-value' }, r.total),
          ),
        );
      }
      app.append(chart);
    }
    app.append(el('h2', {}, 'Nodes × plugins'));
    // Plugins that score 0 on every node say nothing about the choice: folded away unless asked for.
    const all = details.plugins || [];
    const zero = all.filter((p) =>
      rows.every((r) => !(r.scores || []).some((x) => x.plugin === p.name && x.weighted !== 0)),
    );
    const plugins = showZeroPlugins ? all : all.filter((p) => !zero.includes(p));
    if (zero.length > 0)
      app.append(
        el(
          'div',
          { class: 'muted', id: 'folded' },
          `${zero.length} plugin${zero.length === 1 ? '' : 's'} scored 0 on every node (${zero.map((p) => p.name).join(', ')}). `,
          el(
            'button',
            {
              id: 'toggle-zero',
              class: 'secondary',
              onclick: () => {
                showZeroPlugins = !showZeroPlugins;
                render();
              },
            },
            showZeroPlugins ? 'Fold them' : 'Show them',
          ),
        ),
      );
    const table = el('table', { id: 'nodes' });
    // Total next to Node, so the table reads in a half-width panel.
    const head = el(
      'tr',
      {},
      header('rank', 'Rank'),
      header('name', 'Node', 'name'),
      header('total', 'Total'),
      header('filter', 'Filter', 'filter'),
    );
    for (const p of plugins) head.append(header(p.name, `${p.name} ×${p.weight}`));
    table.append(el('thead', {}, head));
    const body = el('tbody');
    for (const r of sorted(rows)) {
      const tr = el('tr', { class: r.name === details.selectedNode ? 'selected' : r.feasible ? '' : 'infeasible' });
      tr.append(
        el('td', {}, r.rank ?? ''),
        el('td', { class: 'name' }, r.name),
        el('td', { class: 'total' }, r.total ?? ''),
      );
      tr.append(
        el(
          'td',
          { class: 'filter' },
          r.feasible ? 'fits' : r.filter ? `✗ ${r.filter.plugin}: ${r.filter.reasons.join(', ')}` : 'not evaluated',
        ),
      );
      for (const p of plugins) {
        const s = (r.scores || []).find((x) => x.plugin === p.name);
        tr.append(el('td', {}, s ? s.normalized : '', s ? el('span', { class: 'weighted' }, ` → ${s.weighted}`) : ''));
      }
      body.append(tr);
    }
    table.append(body);
    app.append(table);
  }

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m && m.type === 'details') {
      details = m.details;
      stale = '';
      render();
    } else if (m && m.type === 'stale') {
      stale = String(m.reason || 'the document or the cluster changed');
      render();
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
