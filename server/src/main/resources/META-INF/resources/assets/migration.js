// The migration board: refreshes task states, sessions, tokens and cost from the board's JSON every two
// seconds; reloads the page when the plan or the migration's state changes shape (new forms to show).
(function () {
  const board = document.getElementById('board');
  if (!board) {
    return;
  }
  const url = board.dataset.url;
  const shownTasks = board.dataset.tasks;
  const shownState = board.dataset.state;

  function setText(el, text) {
    if (el && el.textContent !== text) {
      el.textContent = text;
    }
  }

  function link(cell, href, text) {
    if (!cell) {
      return;
    }
    if (!href) {
      cell.textContent = '';
      return;
    }
    let a = cell.querySelector('a');
    if (!a) {
      a = document.createElement('a');
      cell.textContent = '';
      cell.appendChild(a);
    }
    if (a.getAttribute('href') !== href) {
      a.setAttribute('href', href);
    }
    setText(a, text);
  }

  function render(data) {
    const m = data.migration;
    const tasks = m.tasks.map(t => t.id + ' ').join('');
    if (tasks !== shownTasks || (m.state !== shownState && (m.state === 'planned' || m.state === 'plan_failed'
        || shownState === 'planning' || shownState === 'planned'))) {
      window.location.reload();
      return;
    }
    setText(document.getElementById('migration-state'), m.state.replace('_', ' '));
    setText(document.getElementById('migration-tokens'), String(m.totals.promptTokens + m.totals.completionTokens));
    setText(document.getElementById('migration-cost'), data.costs[''] || '');
    for (const t of m.tasks) {
      const node = document.querySelector('#graph g[data-task="' + CSS.escape(t.id) + '"]');
      if (node) {
        node.setAttribute('class', 'node state-' + t.state);
        setText(node.querySelector('.node-state'), t.state);
      }
      const row = document.querySelector('#tasks tr[data-task="' + CSS.escape(t.id) + '"]');
      if (!row) {
        continue;
      }
      setText(row.querySelector('.task-state'), t.state);
      const detail = (t.state === 'running' && t.sessionStatus ? t.sessionStatus.replace('_', ' ') : '')
        + (t.error ? ' ' + t.error : '');
      setText(row.querySelector('.task-detail'), detail);
      link(row.querySelector('.task-session'), t.session ? '/portal/sessions/' + t.session : '', 'attempt ' + t.attempts);
      link(row.querySelector('.task-diff'), t.session && t.state === 'succeeded' ? '/portal/sessions/' + t.session + '#review' : '', 'diff');
      link(row.querySelector('.task-mr'), data.mergeRequests[t.id] || '', 'merge request');
      setText(row.querySelector('.task-tokens'), String(t.totals.promptTokens + t.totals.completionTokens));
      setText(row.querySelector('.task-cost'), data.costs[t.id] || '');
    }
  }

  async function refresh() {
    try {
      const r = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (r.ok) {
        render(await r.json());
      }
    } catch (e) {
      // the next round tries again
    }
  }

  refresh();
  setInterval(refresh, 2000);
})();
