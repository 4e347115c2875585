/*
 * The light front end of the participant pages (workbench.web.light): it shows the widgets of
 * a page Voilà has run, and keeps them in step with their kernel, without JupyterLab.
 *
 * Voilà's own front end loads ~4 MB of JupyterLab to show a form: on a mid-range phone that is
 * seconds of CPU before the first question can be answered. This script speaks the Jupyter
 * widgets protocol (version 2, ipywidgets 8) over the kernel's websocket for the few widget
 * models the light pages use, listed in MODELS below (tests/test_light_front_end.py checks
 * that the pages create no other), with the DOM and CSS classes ipywidgets gives them, and
 * renders anywidget modules with anywidget's model interface (get, set, save_changes, on, off,
 * send). Loaded by the template for notebooks whose metadata says
 * {"workbench": {"front_end": "light"}}.
 */
(function () {
  "use strict";

  // Widget models this front end draws (null: a model without a view, read by other views).
  var MODELS = {
    VBoxModel: "box", HBoxModel: "box", BoxModel: "box",
    HTMLModel: "html", LabelModel: "label", ButtonModel: "button",
    IntProgressModel: "progress", AnyModel: "any",
    LayoutModel: null, ButtonStyleModel: null, ProgressStyleModel: null,
    HTMLStyleModel: null, LabelStyleModel: null, DescriptionStyleModel: null
  };
  var PREFIX = "IPY_MODEL_";
  var config = JSON.parse(document.getElementById("jupyter-config-data").textContent);

  function hex(bytes) {
    var values = new Uint8Array(bytes);
    crypto.getRandomValues(values);
    return Array.from(values, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  /* ---- The kernel's websocket (Jupyter messaging, the server's JSON framing) ---- */

  function Kernel(id) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    this.id = id;
    this.url = scheme + location.host + config.baseUrl + "api/kernels/" +
      encodeURIComponent(id) + "/channels?session_id=" + hex(16);
    this.session = hex(16);
    this.queue = [];
    this.unacknowledged = [];  // [comm id, state] of updates the kernel has not echoed yet
    this.tries = 0;
    this.onmessage = function () {};
    this.onopen = function () {};
    this.closed = false;
    this.gone = false;
    this.connect();
    var self = this;
    // Back online, or the phone unlocked: try again at once.
    var retry = function () {
      if (!self.closed && !self.gone && self.socket.readyState === WebSocket.CLOSED) {
        self.tries = 0;
        self.connect();
      }
    };
    window.addEventListener("online", retry);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { retry(); }
    });
  }
  Kernel.prototype.connect = function () {
    var self = this;
    var socket = new WebSocket(this.url);
    var reopened = this.socket !== undefined;
    socket.binaryType = "arraybuffer";
    socket.onopen = function () {
      self.tries = 0;
      // A socket can die while it still says "open": what the kernel never echoed goes
      // again (setting a value twice is harmless), then what waited for the connection.
      var again = reopened ? self.unacknowledged.map(function (item) {
        return self.message("shell", "comm_msg", {
          comm_id: item[0], data: { method: "update", state: item[1], buffer_paths: [] }
        });
      }) : [];
      var queued = self.queue;
      self.queue = [];
      again.concat(queued).forEach(function (text) { socket.send(text); });
      self.onopen();
    };
    socket.onmessage = function (event) { self.onmessage(decode(event.data)); };
    socket.onclose = function () {
      // Phones drop sockets when the screen locks; the kernel keeps the page's state. Try
      // again with a growing delay; after 7 tries, ask whether the kernel still exists: a
      // page whose kernel has gone (answer sent, session over) stops knocking.
      if (self.closed || self.gone) { return; }
      var delay = Math.min(1000 * Math.pow(2, self.tries++), 16000);
      window.setTimeout(function () {
        if (self.tries <= 7) {
          self.connect();
          return;
        }
        fetch(config.baseUrl + "api/kernels/" + encodeURIComponent(self.id),
              { cache: "no-store" }).then(function (reply) {
          if (reply.status === 404) {
            self.gone = true;
          } else {
            self.connect();
          }
        }, function () { self.connect(); });
      }, delay);
    };
    this.socket = socket;
  };
  Kernel.prototype.message = function (channel, type, content, metadata) {
    return JSON.stringify({
      header: { msg_id: hex(16), msg_type: type, session: this.session, username: "",
                date: new Date().toISOString(), version: "5.3" },
      parent_header: {}, metadata: metadata || {}, content: content, buffers: [],
      channel: channel
    });
  };
  Kernel.prototype.send = function (channel, type, content, metadata) {
    var text = this.message(channel, type, content, metadata);
    if (type === "comm_msg" && content.data && content.data.method === "update") {
      this.unacknowledged.push([content.comm_id, content.data.state]);
    }
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(text);
    } else {
      this.queue.push(text);
    }
  };
  // The kernel echoed these traits of a model: its updates of them have arrived.
  Kernel.prototype.acknowledge = function (commId, state) {
    this.unacknowledged = this.unacknowledged.filter(function (item) {
      return item[0] !== commId || Object.keys(item[1]).some(function (key) {
        return !(key in state);
      });
    });
  };
  Kernel.prototype.close = function () {
    this.closed = true;
    this.socket.close();
  };

  // A text frame is one JSON message; a binary one is the server's framing of a message with
  // buffers: a count n, n offsets (big-endian 32-bit), the JSON, then the buffers.
  function decode(data) {
    if (typeof data === "string") { return JSON.parse(data); }
    var view = new DataView(data);
    var count = view.getUint32(0);
    var offsets = [];
    for (var i = 0; i < count; i++) { offsets.push(view.getUint32(4 * (i + 1))); }
    offsets.push(data.byteLength);
    var message = JSON.parse(new TextDecoder().decode(data.slice(offsets[0], offsets[1])));
    message.buffers = [];
    for (var j = 1; j < count; j++) {
      message.buffers.push(new DataView(data.slice(offsets[j], offsets[j + 1])));
    }
    return message;
  }

  /* ---- Models ---- */

  var models = {};
  var waiting = {};
  var kernel = null;

  // A model by id, once the kernel has described it; null if it never does (closed, lost):
  // what is around it is still drawn.
  function model(id) {
    id = String(id).replace(PREFIX, "");
    if (models[id]) { return Promise.resolve(models[id]); }
    return new Promise(function (resolve) {
      (waiting[id] = waiting[id] || []).push(resolve);
      window.setTimeout(function () { resolve(models[id] || null); }, 20000);
    });
  }

  function putBuffers(state, paths, buffers) {
    (paths || []).forEach(function (path, i) {
      var target = state;
      for (var k = 0; k < path.length - 1; k++) { target = target[path[k]]; }
      target[path[path.length - 1]] = buffers[i];
    });
  }

  function Model(id, state) {
    this.id = id;
    this.name = state._model_name;
    this.attributes = {};
    this.listeners = {};
    this.pending = {};
    this.widget_manager = manager;
    this.apply(state);
  }
  Model.prototype.get = function (key) { return this.attributes[key]; };
  Model.prototype.set = function (key, value) {
    if (typeof key === "object") {
      var self = this;
      Object.keys(key).forEach(function (k) { self.set(k, key[k]); });
      return;
    }
    var changed = JSON.stringify(this.attributes[key]) !== JSON.stringify(value);
    this.attributes[key] = value;
    this.pending[key] = value;
    if (changed) {
      this.trigger("change:" + key, [this, value]);
      this.trigger("change", [this]);
    }
  };
  Model.prototype.save_changes = function () {
    // Emptied in place: views hold the model through scope(), whose "this" is not the model.
    var pending = this.pending;
    var state = {};
    Object.keys(pending).forEach(function (key) {
      state[key] = pending[key];
      delete pending[key];
    });
    if (Object.keys(state).length) {
      this.send_comm({ method: "update", state: state, buffer_paths: [] });
    }
  };
  Model.prototype.send_comm = function (data) {
    kernel.send("shell", "comm_msg", { comm_id: this.id, data: data });
  };
  Model.prototype.send = function (content) {
    this.send_comm({ method: "custom", content: content });
  };
  Model.prototype.on = function (events, callback) {
    var self = this;
    events.split(/\s+/).forEach(function (event) {
      if (event) { (self.listeners[event] = self.listeners[event] || []).push(callback); }
    });
  };
  Model.prototype.off = function (events, callback) {
    var self = this;
    (events ? events.split(/\s+/) : Object.keys(this.listeners)).forEach(function (event) {
      self.listeners[event] = callback
        ? (self.listeners[event] || []).filter(function (f) { return f !== callback; })
        : [];
    });
  };
  Model.prototype.trigger = function (event, args) {
    (this.listeners[event] || []).slice().forEach(function (callback) {
      try {
        callback.apply(null, args);
      } catch (error) {
        console.error(error);
      }
    });
  };
  // State from the kernel: no echo back to it.
  Model.prototype.apply = function (state) {
    var self = this;
    var keys = Object.keys(state).filter(function (key) {
      return JSON.stringify(self.attributes[key]) !== JSON.stringify(state[key]);
    });
    keys.forEach(function (key) { self.attributes[key] = state[key]; });
    keys.forEach(function (key) { self.trigger("change:" + key, [self, state[key]]); });
    if (keys.length) { this.trigger("change", [this]); }
  };

  var manager = {
    get_model: model,
    open: function (id, state, paths, buffers) {
      putBuffers(state, paths, buffers);
      if (models[id]) {
        models[id].apply(state);
        return;
      }
      var created = models[id] = new Model(id, state);
      (waiting[id] || []).forEach(function (resolve) { resolve(created); });
      delete waiting[id];
    }
  };

  /* ---- Views: the DOM ipywidgets 8 gives these models, so the pages' CSS applies ---- */

  function View(m, el) {
    this.model = m;
    this.el = el;
    this.cleanups = [];
    el.classList.add("lm-Widget", "jupyter-widgets");
    this.classes = [];
    this.listen("_dom_classes", this.paintClasses);
    this.listen("tooltip", function () {
      var tip = this.model.get("tooltip");
      if (tip) { this.el.setAttribute("title", tip); } else { this.el.removeAttribute("title"); }
    });
    var self = this;
    if (m.get("layout")) {
      model(m.get("layout")).then(function (layout) { if (layout) { self.follow(layout); } });
    }
  }
  View.prototype.listen = function (names, paint) {
    var self = this;
    var callback = function () { paint.call(self); };
    this.model.on(names.split(" ").map(function (n) { return "change:" + n; }).join(" "),
                  callback);
    this.cleanups.push(function () { self.model.off(null, callback); });
    paint.call(this);
  };
  View.prototype.paintClasses = function () {
    var el = this.el;
    this.classes.forEach(function (name) { el.classList.remove(name); });
    this.classes = (this.model.get("_dom_classes") || []).slice();
    this.classes.forEach(function (name) { el.classList.add(name); });
  };
  // A Layout model's traits are CSS properties (border_top → border-top); null removes one.
  View.prototype.follow = function (layout) {
    var el = this.el;
    var paint = function () {
      Object.keys(layout.attributes).forEach(function (key) {
        if (key.charAt(0) === "_") { return; }
        var value = layout.get(key);
        var property = key.replace(/_/g, "-");
        if (value === null || value === undefined || value === "") {
          el.style.removeProperty(property);
        } else {
          el.style.setProperty(property, value);
        }
      });
    };
    layout.on("change", paint);
    this.cleanups.push(function () { layout.off("change", paint); });
    paint();
  };
  View.prototype.remove = function () {
    this.cleanups.forEach(function (cleanup) { cleanup(); });
    this.cleanups = [];
    if (this.el.parentNode) { this.el.parentNode.removeChild(this.el); }
  };

  function describe(view) {
    // The description label ipywidgets puts before a value (hidden when there is none).
    var label = document.createElement("label");
    label.className = "widget-label";
    view.el.appendChild(label);
    view.listen("description", function () {
      label.textContent = this.model.get("description") || "";
      label.style.display = label.textContent ? "" : "none";
    });
  }

  var DRAW = {
    box: function (view) {
      var el = view.el;
      el.classList.add("lm-Panel", "widget-container", "widget-box");
      var kind = view.model.name;
      if (kind === "VBoxModel") { el.classList.add("widget-vbox"); }
      if (kind === "HBoxModel") { el.classList.add("widget-hbox"); }
      var children = {};
      var drawn = 0;
      view.listen("children", function () {
        var ids = (view.model.get("children") || []).map(function (c) {
          return String(c).replace(PREFIX, "");
        });
        var round = ++drawn;
        Promise.all(ids.map(model)).then(function (list) {
          if (round !== drawn) { return; }  // a newer list arrived meanwhile
          var kept = {};
          var position = 0;
          list.forEach(function (child) {
            if (!child) { return; }
            var childView = children[child.id] || render(child);
            kept[child.id] = childView;
            // Moved only if out of place: a kept view keeps its DOM, focus and typing.
            if (el.children[position] !== childView.el) {
              el.insertBefore(childView.el, el.children[position] || null);
            }
            position++;
          });
          Object.keys(children).forEach(function (id) {
            if (!kept[id]) { children[id].remove(); }
          });
          children = kept;
        });
      });
      view.cleanups.push(function () {
        Object.keys(children).forEach(function (id) { children[id].remove(); });
      });
    },
    html: function (view) {
      view.el.classList.add("widget-inline-hbox", "widget-html");
      describe(view);
      var content = document.createElement("div");
      content.className = "widget-html-content";
      view.el.appendChild(content);
      view.listen("value", function () { content.innerHTML = view.model.get("value") || ""; });
    },
    label: function (view) {
      view.el.classList.add("widget-label");
      view.listen("value", function () { view.el.textContent = view.model.get("value") || ""; });
    },
    button: function (view) {
      var el = view.el;
      el.type = "button";
      el.classList.add("jupyter-button", "widget-button");
      var style = null;
      view.listen("description icon", function () {
        el.textContent = view.model.get("description") || "";
        if (!view.model.get("tooltip")) { el.setAttribute("title", el.textContent); }
      });
      view.listen("disabled", function () { el.disabled = !!view.model.get("disabled"); });
      view.listen("button_style", function () {
        if (style) { el.classList.remove("mod-" + style); }
        style = view.model.get("button_style") || null;
        if (style) { el.classList.add("mod-" + style); }
      });
      el.addEventListener("click", function () { view.model.send({ event: "click" }); });
    },
    progress: function (view) {
      view.el.classList.add("widget-hprogress", "widget-inline-hbox");
      describe(view);
      var track = document.createElement("div");
      track.className = "progress";
      track.style.position = "relative";
      var bar = document.createElement("div");
      bar.className = "progress-bar";
      bar.setAttribute("style",
                       "position: absolute; bottom: 0; left: 0; width: 0%; height: 100%;");
      track.appendChild(bar);
      view.el.appendChild(track);
      view.listen("value min max", function () {
        var m = view.model;
        var span = (m.get("max") - m.get("min")) || 1;
        var share = Math.min(Math.max((m.get("value") - m.get("min")) / span, 0), 1);
        bar.style.width = (100 * share) + "%";
      });
    },
    any: function (view) {
      var m = view.model;
      var key = m.get("_anywidget_id") || m.id;
      if (m.get("_css") && !styled[key]) {
        styled[key] = true;
        var style = document.createElement("style");
        style.textContent = m.get("_css");
        document.head.appendChild(style);
      }
      var scoped = scope(m);
      var removed = false;
      view.cleanups.push(function () { removed = true; scoped.off(); });
      widgetOf(m).then(function (widget) {
        if (!widget.render || removed) { return; }
        return Promise.resolve(widget.render({ model: scoped, el: view.el, experimental: {} }))
          .then(function (cleanup) {
            if (typeof cleanup !== "function") { return; }
            if (removed) { cleanup(); } else { view.cleanups.push(cleanup); }
          });
      }).catch(function (error) { console.error(error); });
    }
  };

  // anywidget's model as a view sees it: the same model, but off() without a callback only
  // removes what this view registered, and everything it registered goes with the view.
  function scope(m) {
    var mine = [];
    var scoped = Object.create(m);
    scoped.on = function (events, callback) {
      mine.push([events, callback]);
      m.on(events, callback);
    };
    scoped.off = function (events, callback) {
      mine = mine.filter(function (item) {
        var match = (!events || item[0] === events) && (!callback || item[1] === callback);
        if (match) { m.off(item[0], item[1]); }
        return !match;
      });
    };
    return scoped;
  }

  // The module's widget, initialised once per model (before any view renders).
  function widgetOf(m) {
    if (!m.ready) {
      m.ready = anyModule(m).then(function (module) {
        var widget = typeof module.default === "function" ? module.default() : module.default;
        return Promise.resolve(widget || module);
      }).then(function (widget) {
        if (!widget.initialize) { return widget; }
        return Promise.resolve(widget.initialize({ model: m, experimental: {} }))
          .then(function () { return widget; });
      });
    }
    return m.ready;
  }

  var styled = {};
  var modules = {};
  function anyModule(m) {
    var source = m.get("_esm");
    if (!modules[source]) {
      var url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      modules[source] = import(url);
    }
    return modules[source];
  }

  function render(m) {
    var kind = MODELS[m.name];
    var el = document.createElement(kind === "button" ? "button" : "div");
    if (!kind) {
      // A model this front end does not know (tests keep this from happening): say so.
      el.textContent = "Cet élément de la page ne peut pas s'afficher.";
      console.error("workbench-widgets: no view for " + m.name);
      return new View(m, el);
    }
    var view = new View(m, el);
    DRAW[kind](view);
    return view;
  }

  /* ---- The page: Voilà's cell outputs, then the kernel's messages ---- */

  function showOutputs() {
    var scripts = document.querySelectorAll(
      'script[type="application/vnd.voila.cell-output+json"]');
    var shown = [];
    Array.prototype.forEach.call(scripts, function (script) {
      var output = JSON.parse(script.textContent);
      var data = output.data || {};
      var box = document.createElement("div");
      box.className = "lm-Widget jp-OutputArea-output";
      var view = data["application/vnd.jupyter.widget-view+json"];
      if (view) {
        shown.push(model(view.model_id).then(function (m) {
          if (m) { box.appendChild(render(m).el); }
        }));
      } else if (data["text/html"]) {
        box.innerHTML = [].concat(data["text/html"]).join("");
      } else if (output.text || data["text/plain"]) {
        var pre = document.createElement("pre");
        pre.textContent = [].concat(output.text || data["text/plain"]).join("");
        box.appendChild(pre);
      }
      script.parentNode.replaceChild(box, script);
    });
    return Promise.all(shown);
  }

  var revealed = false;
  function reveal() {
    revealed = true;
    window.themeLoaded = true;
    window.cellLoaded = true;
    window.display_cells();
  }

  function start() {
    kernel = window.workbenchWidgets.kernel = new Kernel(config.kernelId);
    var control = null;
    kernel.onmessage = function (message) {
      var type = message.header && message.header.msg_type;
      var content = message.content || {};
      if (type === "comm_open" && content.target_name === "jupyter.widget") {
        var data = content.data || {};
        manager.open(content.comm_id, data.state || {}, data.buffer_paths, message.buffers);
      } else if (type === "comm_msg" && content.comm_id === control) {
        var states = (content.data || {}).states || {};
        // Paths start at the model's id: [id, "state", trait, …].
        putBuffers(states, (content.data || {}).buffer_paths, message.buffers);
        Object.keys(states).forEach(function (id) { manager.open(id, states[id].state); });
      } else if (type === "comm_msg" && models[content.comm_id]) {
        var body = content.data || {};
        var target = models[content.comm_id];
        if (body.method === "update") {
          putBuffers(body.state, body.buffer_paths, message.buffers);
          target.apply(body.state || {});
        } else if (body.method === "custom") {
          target.trigger("msg:custom", [body.content, message.buffers || []]);
        } else if (body.method === "echo_update") {
          // What this page sent, received: nothing to change, one update fewer to resend.
          kernel.acknowledge(content.comm_id, body.state || {});
        }
      } else if (type === "comm_close" && models[content.comm_id]) {
        // The kernel closed the widget: what is on screen stays, it no longer changes.
        models[content.comm_id].off();
        delete models[content.comm_id];
      }
    };
    // Every widget's state in one message (ipywidgets 8's control comm), again after a
    // reconnection: what changed while the phone was away.
    kernel.onopen = function () {
      control = hex(16);
      kernel.send("shell", "comm_open", {
        comm_id: control, target_name: "jupyter.widget.control", data: {}
      }, { version: "1.0.0" });
      kernel.send("shell", "comm_msg", { comm_id: control, data: { method: "request_states" } });
    };
    showOutputs().then(reveal, function (error) {
      console.error(error);
      reveal();
    });
    // No widget after 30 s (the kernel went, the network is down): say so instead of
    // turning forever.
    window.setTimeout(function () {
      var text = document.getElementById("loading_text");
      if (revealed || !text) { return; }
      text.textContent = "La page ne répond pas.";
      var again = document.createElement("button");
      again.type = "button";
      again.textContent = "Recharger la page";
      again.addEventListener("click", function () { location.reload(); });
      text.parentNode.appendChild(again);
    }, 30000);
    window.addEventListener("pageshow", function (event) {
      // Back from the browser's cache after leaving: the kernel has gone, start again.
      if (event.persisted) { location.reload(); }
    });
    window.addEventListener("pagehide", function () {
      // As Voilà's front end does on "beforeunload" (which iOS never fires): the kernel of a
      // page left goes at once.
      var data = new FormData();
      var match = document.cookie.match("\\b_xsrf=([^;]*)\\b");
      data.append("_xsrf", (match && match[1]) || "");
      navigator.sendBeacon(config.baseUrl + "voila/api/shutdown/" + config.kernelId, data);
      kernel.close();
    });
  }

  window.workbenchWidgets = { models: models };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
