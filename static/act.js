// The online action form's proof of work (ALTCHA, algorithm SHA-256 at cost 1), asked for only
// when the sender or the whole site is above normal rates: finds the counter whose
// SHA-256(salt ‖ nonce ‖ counter as 4 big-endian bytes) starts with the key prefix, then puts
// the payload in the form's `altcha` field and lets the form be sent.
(function () {
  "use strict";
  var field = document.querySelector('input[name="altcha"][data-challenge]');
  if (!field || !window.crypto || !window.crypto.subtle) return;
  var challenge = JSON.parse(field.getAttribute("data-challenge"));
  var p = challenge.parameters;
  function bytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }
  function toHex(a) {
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  var salt = bytes(p.salt), nonce = bytes(p.nonce), prefix = bytes(p.keyPrefix);
  var buf = new Uint8Array(salt.length + nonce.length + 4);
  buf.set(salt);
  buf.set(nonce, salt.length);
  var view = new DataView(buf.buffer);
  var button = field.form.querySelector('button[type="submit"]');
  var status = document.getElementById("challenge-status");
  if (button) button.disabled = true;
  function done() {
    if (button) button.disabled = false;
    if (status) status.hidden = true;
  }
  (async function () {
    for (var counter = 0; counter < 0xffffffff; counter++) {
      view.setUint32(salt.length + nonce.length, counter);
      var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
      var ok = true;
      for (var i = 0; i < prefix.length; i++) if (digest[i] !== prefix[i]) { ok = false; break; }
      if (ok) {
        var key = toHex(digest.slice(0, p.keyLength || 32));
        field.value = btoa(JSON.stringify({ challenge: challenge, solution: { counter: counter, derivedKey: key } }));
        done();
        return;
      }
    }
  })();
})();
