// Phones drop the kernel's websocket when the screen locks or the network changes. Voilà
// reconnects with a growing delay and gives up after seven tries (about two minutes), which
// would leave a form whose "Envoyer" no longer sends anything. Watch the kernel sockets and,
// while a form is still being filled in, tell the participant and offer a reload.
(function () {
  "use strict";
  var Native = window.WebSocket;
  var sockets = [];
  var lostSince = null;
  function Tracked(url, protocols) {
    var socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (String(url).indexOf("/channels") !== -1) {
      sockets.push(socket);
      sockets = sockets.slice(-5);
    }
    return socket;
  }
  Tracked.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (key) {
    Tracked[key] = Native[key];
  });
  window.WebSocket = Tracked;

  function connected() {
    return sockets.some(function (s) { return s.readyState === Native.OPEN; });
  }
  function formInProgress() {
    var button = document.querySelector(".wb-submit");
    return button !== null && button.offsetParent !== null;
  }
  function banner() {
    var box = document.getElementById("wb-connection-lost");
    if (box) { return box; }
    box = document.createElement("div");
    box.id = "wb-connection-lost";
    box.className = "wb-connection-lost";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = "Connexion interrompue. Les réponses déjà envoyées sont bien " +
      "enregistrées. Pour continuer, rechargez la page : les réponses pas encore " +
      "envoyées seront à saisir de nouveau.";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Recharger la page";
    button.addEventListener("click", function () { window.location.reload(); });
    box.appendChild(text);
    box.appendChild(button);
    document.body.appendChild(box);
    return box;
  }
  function check() {
    if (sockets.length === 0 || connected() || !formInProgress()) {
      lostSince = null;
      var box = document.getElementById("wb-connection-lost");
      if (box) { box.hidden = true; }
      return;
    }
    lostSince = lostSince || Date.now();
    if (Date.now() - lostSince > 15000) { banner().hidden = false; }
  }
  window.setInterval(check, 2000);
  document.addEventListener("visibilitychange", check);
})();
