// Sends the photos of the upload form one file at a time, each with its own progress bar, and
// tries a file again (three times, waiting longer each time) when the connection drops: a phone
// on a weak network gets its photos through one by one instead of losing one large request. The
// form works the same without this script (one request with every file).
// Contract: <form data-photo-upload data-sending data-sent data-retrying data-failed [data-done]>
// holding an <input type=file multiple> and an <ol data-progress hidden> for the bars; when every
// file is sent it goes to data-done (else the form's action) with ?added=N.
(function () {
  'use strict';
  var form = document.querySelector('form[data-photo-upload]');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector('input[type=file]');
  var list = form.querySelector('[data-progress]');
  var text = function (key, name) { return name + ': ' + (form.dataset[key] || ''); };

  function send(file, row, attempt, done) {
    var data = new FormData(form);
    data.delete('file');
    data.append('file', file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) row.bar.value = Math.round((e.loaded / e.total) * 100);
    };
    xhr.onload = function () {
      // A refused file comes back as the form with its messages: show it as it is.
      if (xhr.status >= 400 || xhr.responseURL.indexOf('added=') < 0) {
        document.open();
        document.write(xhr.responseText);
        document.close();
        return;
      }
      row.bar.value = 100;
      row.label.textContent = text('sent', file.name);
      done();
    };
    xhr.onerror = function () {
      if (attempt >= 3) {
        row.label.textContent = text('failed', file.name);
        return;
      }
      row.label.textContent = text('retrying', file.name);
      setTimeout(function () { send(file, row, attempt + 1, done); }, 1000 * Math.pow(2, attempt));
    };
    xhr.send(data);
  }

  form.addEventListener('submit', function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (files.length === 0 || !form.checkValidity()) return;
    event.preventDefault();
    form.querySelector('button[type=submit]').disabled = true;
    list.hidden = false;
    list.textContent = '';
    var rows = files.map(function (file) {
      var li = document.createElement('li');
      var label = document.createElement('span');
      var bar = document.createElement('progress');
      label.textContent = text('sending', file.name);
      label.id = 'progress-' + list.children.length;
      bar.max = 100;
      bar.value = 0;
      bar.className = 'progress';
      bar.setAttribute('aria-labelledby', label.id);
      li.appendChild(label);
      li.appendChild(bar);
      list.appendChild(li);
      return { label: label, bar: bar };
    });
    var sent = 0;
    (function next(i) {
      if (i === files.length) {
        var done = form.dataset.done || form.action;
        window.location.assign(done + (done.indexOf('?') < 0 ? '?' : '&') + 'added=' + sent);
        return;
      }
      send(files[i], rows[i], 0, function () { sent += 1; next(i + 1); });
    })(0);
  });
})();
