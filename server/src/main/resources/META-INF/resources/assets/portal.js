// Portal forms: say that something slow is under way, and show only the source fields that apply.
(function () {
  'use strict';

  // A form marked js-busy keeps the pressed button's value, disables its buttons and announces
  // the button's data-busy text in the form's status line until the next page arrives.
  document.querySelectorAll('form.js-busy').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name) {
        var carried = document.createElement('input');
        carried.type = 'hidden';
        carried.name = submitter.name;
        carried.value = submitter.value;
        form.appendChild(carried);
      }
      form.setAttribute('aria-busy', 'true');
      var status = form.querySelector('.busy');
      if (status) {
        status.textContent = (submitter && submitter.dataset.busy) || 'Working…';
      }
      form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    });
  });

  // Adding a repository: the folder field for "Folder on the server", the URL field for "Git URL".
  var pathField = document.getElementById('path-field');
  var urlField = document.getElementById('url-field');
  if (pathField && urlField) {
    var show = function () {
      var byUrl = document.getElementById('source-url').checked;
      urlField.hidden = !byUrl;
      pathField.hidden = byUrl;
    };
    document.querySelectorAll('input[name=source]').forEach(function (r) { r.addEventListener('change', show); });
    show();
  }

  // Back from a failed form: focus its first invalid field (or its error) so keyboard users land there.
  var invalid = document.querySelector('[aria-invalid=true]') || document.querySelector('.form-error');
  if (invalid) {
    if (!invalid.hasAttribute('tabindex') && invalid.tagName === 'P') {
      invalid.setAttribute('tabindex', '-1');
    }
    invalid.focus();
  }
})();
