// New-session form: @-mention suggestions in the task field, as an ARIA combobox (the textarea) with
// a listbox popup. Typing "@" and a name asks the workspace's lookup; arrow keys move the active
// option (aria-activedescendant), Enter or Tab inserts "@repo:path" or "@Symbol", Escape closes.
(function () {
  'use strict';
  var field = document.getElementById('task');
  var list = document.getElementById('task-mentions');
  var status = document.getElementById('task-mention-status');
  if (!field || !list || !field.dataset.lookupUrl) {
    return;
  }
  var url = field.dataset.lookupUrl;
  var options = [];
  var active = -1;
  var token = null; // { start, end } of the "@…" being typed
  var timer = null;
  var asked = 0;

  function currentToken() {
    var caret = field.selectionStart;
    if (caret !== field.selectionEnd) {
      return null;
    }
    var before = field.value.slice(0, caret);
    var m = /(^|\s)@([^\s@]{0,200})$/.exec(before);
    return m ? { start: caret - m[2].length - 1, end: caret, query: m[2] } : null;
  }

  function close() {
    list.hidden = true;
    list.textContent = '';
    options = [];
    active = -1;
    field.setAttribute('aria-expanded', 'false');
    field.removeAttribute('aria-activedescendant');
  }

  function activate(i) {
    if (active >= 0 && list.children[active]) {
      list.children[active].setAttribute('aria-selected', 'false');
    }
    active = i;
    if (i >= 0 && list.children[i]) {
      var li = list.children[i];
      li.setAttribute('aria-selected', 'true');
      field.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else {
      field.removeAttribute('aria-activedescendant');
    }
  }

  function describe(m) {
    if (m.kind === 'repository') {
      return 'repository';
    }
    if (m.kind === 'path') {
      return m.repo;
    }
    return m.repo + ':' + m.path + (m.definers > 1 ? ' (+' + (m.definers - 1) + ')' : '');
  }

  function show(found) {
    list.textContent = '';
    options = found;
    found.forEach(function (m, i) {
      var li = document.createElement('li');
      li.id = 'task-mention-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.insert = m.insert;
      var kind = document.createElement('span');
      kind.className = 'mention-kind';
      kind.textContent = m.kind;
      var name = document.createElement('span');
      name.className = 'mention-name';
      name.textContent = m.kind === 'path' ? m.path : (m.symbol || m.repo);
      var where = document.createElement('span');
      where.className = 'mention-where';
      where.textContent = describe(m);
      li.append(kind, name, where);
      li.addEventListener('mousedown', function (event) {
        event.preventDefault(); // keep the focus in the field
        insert(i);
      });
      list.appendChild(li);
    });
    if (found.length === 0) {
      close();
      status.textContent = 'No matching files or symbols.';
      return;
    }
    list.hidden = false;
    field.setAttribute('aria-expanded', 'true');
    activate(0);
    status.textContent = found.length + (found.length === 1 ? ' suggestion' : ' suggestions') + '; arrow keys to choose, Enter to insert.';
  }

  function insert(i) {
    var m = options[i];
    if (!m || !token) {
      return;
    }
    var text = m.insert + ' ';
    field.value = field.value.slice(0, token.start) + text + field.value.slice(token.end);
    var caret = token.start + text.length;
    field.setSelectionRange(caret, caret);
    status.textContent = 'Inserted ' + m.insert + '.';
    token = null;
    close();
    field.focus();
  }

  function ask() {
    token = currentToken();
    if (!token) {
      close();
      return;
    }
    var mine = ++asked;
    fetch(url + '?limit=8&q=' + encodeURIComponent(token.query), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) {
        if (mine === asked && token) {
          show(found);
        }
      })
      .catch(function () { close(); });
  }

  field.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 80);
  });

  field.addEventListener('keydown', function (event) {
    if (list.hidden || options.length === 0) {
      return;
    }
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      activate((active + 1) % options.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      activate((active - 1 + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      if (active >= 0) {
        event.preventDefault();
        insert(active);
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  field.addEventListener('blur', function () { setTimeout(close, 150); });
})();
