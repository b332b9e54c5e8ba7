// Light or dark: the person's choice, remembered on the server (the page arrives with data-theme-saved
// and is drawn in it from the start), else the choice remembered in this browser (the sign-in page has
// no person yet), else the system's prefers-color-scheme. Loaded in <head>, before the first paint.
(function () {
  'use strict';
  var root = document.documentElement;
  var key = 'drydock.theme.' + (root.getAttribute('data-user') || '');
  var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function valid(v) {
    return v === 'dark' || v === 'light' ? v : null;
  }

  function chosen() {
    var saved = valid(root.getAttribute('data-theme-saved'));
    if (saved) {
      return saved;
    }
    try {
      return valid(window.localStorage.getItem(key));
    } catch (e) {
      return null;
    }
  }

  function apply() {
    var theme = chosen() || (media && media.matches ? 'dark' : 'light');
    root.setAttribute('data-theme', theme);
    var toggle = document.getElementById('theme-toggle');
    if (toggle) {
      toggle.setAttribute('aria-pressed', theme === 'dark' ? 'true' : 'false');
    }
  }

  function remember(theme) {
    try {
      window.localStorage.setItem(key, theme);
    } catch (e) {
      // storage refused (private mode): the server still remembers it for a signed-in person
    }
    if (!root.hasAttribute('data-user') || !window.fetch) {
      return;
    }
    var body = new URLSearchParams();
    body.set('theme', theme);
    window.fetch('/portal/me/theme', { method: 'POST', body: body, credentials: 'same-origin' })
      .catch(function () {
        // offline or signed out: this browser still remembers the choice
      });
  }

  apply();
  if (media && media.addEventListener) {
    media.addEventListener('change', apply);
  }
  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.getElementById('theme-toggle');
    if (!toggle) {
      return;
    }
    toggle.hidden = false;
    apply();
    toggle.addEventListener('click', function () {
      var next = root.getAttribute('data-theme') === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme-saved', next);
      remember(next);
      apply();
    });
  });
})();
