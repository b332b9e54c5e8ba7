// Light or dark: the person's choice (remembered per user in this browser), else the system's
// prefers-color-scheme. Loaded in <head> so that the page is drawn in its theme from the start.
(function () {
  'use strict';
  var root = document.documentElement;
  var key = 'drydock.theme.' + (root.getAttribute('data-user') || '');
  var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function chosen() {
    try {
      var v = window.localStorage.getItem(key);
      return v === 'dark' || v === 'light' ? v : null;
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
      try {
        window.localStorage.setItem(key, next);
      } catch (e) {
        // storage refused (private mode): the choice lasts for this page only
      }
      apply();
      if (chosen() === null) {
        root.setAttribute('data-theme', next);
        toggle.setAttribute('aria-pressed', next === 'dark' ? 'true' : 'false');
      }
    });
  });
})();
