// The Me page: copy a newly created API key to the clipboard (the key is shown this once).
(function () {
  'use strict';
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var field = document.getElementById(button.dataset.copy);
      var status = document.getElementById('copy-status');
      if (!field) {
        return;
      }
      var said = function (text) { if (status) { status.textContent = text; } };
      field.focus();
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(function () { said('Copied.'); },
          function () { said('Selected: press Ctrl+C (⌘C) to copy.'); });
      } else {
        said('Selected: press Ctrl+C (⌘C) to copy.');
      }
    });
  });
})();
