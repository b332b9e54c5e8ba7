// Repositories page: polls the status of each repository while one is syncing or indexing (and,
// more slowly, while one has failed), and updates its status chip, progress bar, detail and Retry
// button in place.
(function () {
  'use strict';
  var table = document.getElementById('repositories');
  if (!table) {
    return;
  }
  var BUSY = ['registered', 'fetching', 'indexing'];
  var url = table.dataset.statusUrl;
  // a retried sync starts a moment after the page loads: look a few times even when nothing is busy
  var grace = 5;

  function busy() {
    return Array.prototype.some.call(table.querySelectorAll('tbody tr'), function (tr) {
      return BUSY.indexOf(tr.dataset.status) >= 0;
    });
  }

  function failed() {
    return table.querySelector('tbody tr[data-status=failed]') !== null;
  }

  function apply(s) {
    var tr = document.getElementById(s.id);
    if (!tr) {
      return;
    }
    tr.dataset.status = s.status;
    var chip = tr.querySelector('.status');
    chip.textContent = s.status;
    chip.className = 'chip status status-' + s.status;
    var bar = tr.querySelector('progress');
    bar.value = s.percent;
    bar.textContent = s.percent + '%';
    bar.hidden = BUSY.indexOf(s.status) < 0;
    tr.querySelector('.detail').textContent = s.detail;
    tr.querySelector('.files').textContent = s.files;
    tr.querySelector('.commit').textContent = s.commit || '–';
    tr.querySelector('form.retry').hidden = !(s.status === 'failed' && s.canSync);
  }

  function poll() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) {
          throw new Error('status ' + r.status);
        }
        return r.json();
      })
      .then(function (list) {
        list.forEach(apply);
        if (busy() || grace-- > 0) {
          setTimeout(poll, 1000);
        } else if (failed()) {
          // a failed sync is retried automatically a few times: keep watching, more slowly
          setTimeout(poll, 10000);
        }
      })
      .catch(function () {
        // signed out or the server restarts: try again a little later
        setTimeout(poll, 5000);
      });
  }

  setTimeout(poll, 500);
})();
