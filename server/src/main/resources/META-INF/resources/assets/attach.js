// The New session form's attachments: "Add another paste" adds a name and text pair; chosen files are
// checked before sending (UTF-8 text, not larger than one attachment may be), so that a binary or
// oversized file is named inline at once. The server checks the same again.
(function () {
  'use strict';
  var form = document.getElementById('new-session');
  if (!form) {
    return;
  }
  var pastes = document.getElementById('pastes');
  var add = document.getElementById('add-paste');
  if (pastes && add) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var all = pastes.querySelectorAll('.paste');
      var copy = all[all.length - 1].cloneNode(true);
      copy.querySelectorAll('input, textarea').forEach(function (f) {
        f.value = '';
      });
      pastes.insertBefore(copy, add);
      copy.querySelector('.paste-name').focus();
    });
  }

  var input = document.getElementById('attach-file');
  var error = document.getElementById('file-error');
  var maxChars = Number(form.getAttribute('data-max-chars')) || 0;
  var checked = false;

  function refuse(message) {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }

  function check(file) {
    return file.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (maxChars && bytes.length > 4 * maxChars) {
        return "'" + file.name + "' is " + bytes.length + ' bytes, too large: an attachment may have at most ' + maxChars + ' characters.';
      }
      if (bytes.indexOf(0) >= 0) {
        return "'" + file.name + "' is a binary file; only text files (UTF-8) can be attached.";
      }
      var text;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (e) {
        return "'" + file.name + "' is not UTF-8 text; only text files (UTF-8) can be attached.";
      }
      if (maxChars && text.length > maxChars) {
        return "'" + file.name + "' has " + text.length + ' characters; an attachment may have at most ' + maxChars + '.';
      }
      return null;
    });
  }

  if (input && error) {
    input.addEventListener('change', function () {
      error.hidden = true;
      input.removeAttribute('aria-invalid');
    });
    form.addEventListener('submit', function (event) {
      if (checked || !input.files || input.files.length === 0) {
        return;
      }
      event.preventDefault();
      Promise.all(Array.prototype.map.call(input.files, check)).then(function (problems) {
        var found = problems.filter(function (p) {
          return p;
        });
        if (found.length) {
          refuse(found.join(' '));
          return;
        }
        checked = true;
        form.requestSubmit ? form.requestSubmit() : form.submit();
      });
    });
  }
})();
