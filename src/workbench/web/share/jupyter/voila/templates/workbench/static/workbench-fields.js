/* Accessible form fields for the workbench's pages (RGAA 4.1 / WCAG 2.1 AA).
 *
 * The render function of the `workbench.web.field.Field` anywidget, loaded once per page as a
 * versioned static file (the widget's own module only re-exports `window.workbenchFields`).
 * Native HTML does the accessibility: a question with several inputs is a <fieldset> whose
 * <legend> holds the question as a heading; radios share a name (one Tab stop, arrow keys);
 * toggles are radios or checkboxes (their state is "checked"); errors are tied to the inputs
 * with aria-invalid and aria-describedby; the kernel asks for focus with the `focus` counter.
 * Drafts: with a `draft_key`, the value is kept in localStorage (on the phone only) and
 * restored after a reload; `workbench.forms.client_id` clears them after a submission.
 */
(function () {
  "use strict";
  let counter = 0;
  const DRAFT = "workbench-draft:";
  const DRAFT_DAYS = 7;  // a draft older than this is forgotten (shared devices)
  const cleared = [];  // prefixes whose answers are stored: no draft is written there again

  function make(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function readDraft(key) {
    if (!key) return undefined;
    try {
      const raw = window.localStorage.getItem(DRAFT + key);
      if (raw === null) return undefined;
      const draft = JSON.parse(raw);
      if (!draft || typeof draft.t !== "number" || Date.now() - draft.t > DRAFT_DAYS * 864e5) {
        window.localStorage.removeItem(DRAFT + key);
        return undefined;
      }
      return draft.v;
    } catch (e) {
      return undefined;
    }
  }

  function writeDraft(key, value) {
    // A write still pending when the answers were stored (a debounced keystroke) must not
    // bring the draft back after clearDrafts.
    if (!key || cleared.some((prefix) => key.startsWith(prefix))) return;
    try {
      window.localStorage.setItem(DRAFT + key, JSON.stringify({ v: value, t: Date.now() }));
    } catch (e) { /* private browsing or full storage: no draft */ }
  }

  // "{item} …" filled with values; a function replacement, so "$&" in a label stays as is.
  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g,
      (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function isEmpty(value) {
    if (value === null || value === undefined || value === "") return true;
    if (Array.isArray(value)) return value.length === 0;
    if (typeof value === "object") {
      if ("choices" in value) return !value.choices.length && !value.other;
      if ("order" in value) return !value.confirmed;
      return Object.values(value).every((v) => v === "" || v === null || v === 0 || v === "0");
    }
    return false;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function render({ model, el }) {
    const uid = "wbf" + (++counter) + "-" + Math.random().toString(36).slice(2, 7);
    const kind = model.get("kind");
    const props = model.get("props") || {};
    const level = Math.min(Math.max(model.get("heading_level") || 2, 2), 6);
    const ids = { label: uid + "-label", hint: uid + "-hint", help: uid + "-help",
                  error: uid + "-error", extra: uid + "-extra" };
    const grouped = ["radio", "scale", "checkbox", "points", "ranking"].includes(kind);
    let inputs = [];  // the focusable inputs, in order

    function commit(value) {
      // A keystroke's delayed commit from a view no longer on the page (its box redrawn)
      // would overwrite what was typed since in the view that replaced it.
      if (!el.isConnected) return;
      model.set("value", value);
      model.save_changes();
      writeDraft(model.get("draft_key"), value);
    }

    // The question: a heading (inside the legend of a group, or holding the input's label).
    const heading = make("h" + level, { className: "wb-q", id: ids.label });
    const root = grouped
      ? make("fieldset", { className: "wb-field wb-field-" + kind })
      : make("div", { className: "wb-field wb-field-" + kind });
    if (grouped) {
      const legend = make("legend", { className: "wb-legend" });
      legend.appendChild(heading);
      root.appendChild(legend);
      if (kind === "radio" || kind === "scale") {
        root.setAttribute("role", "radiogroup");
        root.setAttribute("aria-labelledby", ids.label);
      }
    } else {
      root.appendChild(heading);
    }
    const labelTarget = grouped ? heading : make("label", { for: uid + "-input" });
    if (!grouped) heading.appendChild(labelTarget);
    const hint = make("p", { className: "wb-hint", id: ids.hint });
    const help = make("p", { className: "wb-help", id: ids.help });
    root.appendChild(hint);
    root.appendChild(help);
    const body = make("div", { className: "wb-inputs" });
    root.appendChild(body);
    const extra = make("p", { className: "wb-hint wb-live", id: ids.extra, "aria-live": "polite" });
    const error = make("p", { className: "wb-error", id: ids.error });
    root.appendChild(extra);
    root.appendChild(error);
    el.appendChild(root);

    function describedBy() {
      const list = [];
      if (model.get("hint")) list.push(ids.hint);
      if (model.get("help")) list.push(ids.help);
      if (kind === "number" && props.unit) list.push(uid + "-unit");
      if (model.get("error")) list.push(ids.error);
      return list.join(" ") || null;
    }

    function paintText() {
      const required = model.get("required");
      labelTarget.textContent = model.get("label");
      if (required) {
        const mark = make("span", { className: "wb-required" }, " *");
        mark.setAttribute("aria-hidden", "true");
        labelTarget.appendChild(mark);
        labelTarget.appendChild(make("span", { className: "wb-sr" }, " " + (props.required_text || "")));
      }
      hint.textContent = model.get("hint") || "";
      hint.hidden = !model.get("hint");
      help.textContent = model.get("help") || "";
      help.hidden = !model.get("help");
    }

    function paintError() {
      const text = model.get("error") || "";
      error.textContent = text ? "⚠ " + text : "";
      error.hidden = !text;
      root.classList.toggle("wb-invalid", !!text);
      const described = describedBy();
      const targets = grouped ? [root, ...inputs] : inputs;
      for (const node of targets) {
        if (described) node.setAttribute("aria-describedby", described);
        else node.removeAttribute("aria-describedby");
      }
      for (const node of inputs) {
        if (!["INPUT", "SELECT", "TEXTAREA"].includes(node.tagName)) continue;
        if (text) node.setAttribute("aria-invalid", "true");
        else node.removeAttribute("aria-invalid");
        if (!grouped && model.get("required")) node.setAttribute("aria-required", "true");
      }
      if (kind === "radio" || kind === "scale") {
        if (text) root.setAttribute("aria-invalid", "true");
        else root.removeAttribute("aria-invalid");
        if (model.get("required")) root.setAttribute("aria-required", "true");
      }
    }

    const options = () => model.get("options") || [];
    const addOption = (list, input, text) => {  // a radio or checkbox inside its label
      const label = make("label", { for: input.id, className: "wb-option" });
      label.appendChild(input);
      label.appendChild(make("span", {}, text));
      list.appendChild(label);
      inputs.push(input);
    };
    let sync = () => {};  // puts the model's value into the inputs

    if (kind === "radio" || kind === "scale") {
      const wide = options().some(([text]) => String(text).length > 3);
      const list = make("div", { className: kind === "scale"
        ? "wb-scale-options" + (wide ? " wb-scale-wide" : "") : "wb-options" });
      options().forEach(([text, value], i) => {
        const id = uid + "-o" + i;
        const input = make("input", { type: "radio", name: uid, id, value: String(i),
                                      className: kind === "scale" ? "wb-overlay-input" : null });
        input.addEventListener("change", () => { if (input.checked) commit(value); });
        addOption(list, input, text);
      });
      body.appendChild(list);
      if (kind === "scale" && (props.min_label || props.max_label)) {
        body.appendChild(make("p", { className: "wb-hint wb-scale-ends" },
          "0 = " + (props.min_label || "0") + " · 10 = " + (props.max_label || "10")));
      }
      sync = () => {
        const value = model.get("value");
        options().forEach(([, v], i) => { inputs[i].checked = value !== null && v === value; });
      };
    } else if (kind === "checkbox") {
      const list = make("div", { className: "wb-options" });
      const max = props.max_selections || 0;
      let other = null;
      const otherWrap = make("div", { className: "wb-other" });
      const read = () => ({
        choices: options().filter((_, i) => inputs[i].checked).map(([, v]) => v),
        other: other && inputs[options().findIndex(([, v]) => v === props.other_value)]?.checked
          ? other.value : null,
      });
      const limit = () => {
        if (!max) return;
        const chosen = inputs.filter((x) => x.checked).length;
        inputs.forEach((x) => { if (x.type === "checkbox") x.disabled = !x.checked && chosen >= max; });
        extra.textContent = chosen >= max ? (props.max_text || "") : "";
      };
      options().forEach(([text, value], i) => {
        const id = uid + "-o" + i;
        const input = make("input", { type: "checkbox", id, value: String(i) });
        input.addEventListener("change", () => {
          if (value === props.other_value && other) {
            otherWrap.hidden = !input.checked;
            if (input.checked) other.focus();
          }
          limit();
          commit(read());
        });
        addOption(list, input, text);
      });
      body.appendChild(list);
      if (props.other_value) {
        const id = uid + "-other";
        otherWrap.appendChild(make("label", { for: id }, props.other_label || ""));
        other = make("input", { type: "text", id, maxlength: props.max_length || 200,
                                autocomplete: "off" });
        other.addEventListener("input", debounce(() => commit(read()), 400));
        other.addEventListener("change", () => commit(read()));
        otherWrap.appendChild(other);
        otherWrap.hidden = true;
        body.appendChild(otherWrap);
        inputs.push(other);
      }
      sync = () => {
        const value = model.get("value") || { choices: [], other: null };
        options().forEach(([, v], i) => { inputs[i].checked = (value.choices || []).includes(v); });
        if (other) {
          other.value = value.other || "";
          const i = options().findIndex(([, v]) => v === props.other_value);
          otherWrap.hidden = !(i >= 0 && inputs[i].checked);
        }
        limit();
      };
    } else if (kind === "ranking") {
      const list = make("ol", { className: "wb-ranking" });
      body.appendChild(list);
      const confirmId = uid + "-ok";
      const confirmLabel = make("label", { for: confirmId, className: "wb-option" });
      const confirm = make("input", { type: "checkbox", id: confirmId });
      confirmLabel.appendChild(confirm);
      confirmLabel.appendChild(make("span", {}, props.confirm_text || ""));
      body.appendChild(confirmLabel);
      const labelOf = Object.fromEntries(options().map(([t, v]) => [v, t]));
      const current = () => {
        const value = model.get("value");
        return value && Array.isArray(value.order) && value.order.length === options().length
          ? value.order.slice() : options().map(([, v]) => v);
      };
      const draw = (order, focusValue, focusDir) => {
        list.textContent = "";
        inputs = [];
        order.forEach((value, i) => {
          const row = make("li", { className: "wb-rank-row" });
          row.appendChild(make("span", { className: "wb-rank-label" }, labelOf[value]));
          const buttons = make("span", { className: "wb-rank-buttons" });
          for (const [dir, arrow, text] of [[-1, "↑", props.up_text], [1, "↓", props.down_text]]) {
            const target = i + dir;
            const button = make("button", {
              type: "button", className: "wb-rank-move",
              "aria-label": fill(text, { item: labelOf[value] }),
              "aria-disabled": target < 0 || target >= order.length ? "true" : null,
            }, arrow);
            button.dataset.value = value;
            button.dataset.dir = String(dir);
            button.addEventListener("click", () => {
              if (target < 0 || target >= order.length) return;
              const next = order.slice();
              [next[i], next[target]] = [next[target], next[i]];
              confirm.checked = true;
              commit({ order: next, confirmed: true });
              draw(next, value, dir);
              extra.textContent = fill(props.moved_text, { item: labelOf[value],
                                                          rank: target + 1, count: order.length });
            });
            buttons.appendChild(button);
            inputs.push(button);
          }
          row.appendChild(buttons);
          list.appendChild(row);
        });
        inputs.push(confirm);
        if (focusValue !== undefined) {
          const same = inputs.find((b) => b.dataset && b.dataset.value === focusValue &&
                                   b.dataset.dir === String(focusDir));
          const other = inputs.find((b) => b.dataset && b.dataset.value === focusValue &&
                                    b.dataset.dir !== String(focusDir));
          (same && same.getAttribute("aria-disabled") !== "true" ? same : other || same)?.focus();
        }
        paintError();
      };
      confirm.addEventListener("change", () => commit({ order: current(), confirmed: confirm.checked }));
      sync = () => {
        const value = model.get("value");
        confirm.checked = !!(value && value.confirmed);
        draw(current());
      };
    } else if (kind === "points") {
      const total = props.total || 0;
      const table = make("div", { className: "wb-points-list" });
      const read = () => Object.fromEntries(options().map(([, v], i) => [v, inputs[i].value.trim()]));
      const tell = () => {
        let spent = 0;
        let bad = false;
        for (const input of inputs) {
          const text = input.value.trim();
          if (text === "") continue;
          if (!/^\d+$/.test(text)) { bad = true; continue; }
          spent += parseInt(text, 10);
        }
        const left = total - spent;
        let text = fill(props.left_text, { n: left, total });
        if (left < 0) text = fill(props.over_text, { spent, total, over: -left });
        if (bad) text += " " + (props.whole_text || "");
        extra.textContent = text;
        extra.classList.toggle("wb-error", left < 0 || bad);
      };
      options().forEach(([text], i) => {
        const id = uid + "-o" + i;
        const row = make("div", { className: "wb-points-row" });
        row.appendChild(make("label", { for: id }, text));
        const input = make("input", { type: "text", id, inputmode: "numeric", pattern: "[0-9]*",
                                      autocomplete: "off", maxlength: String(String(total).length + 1),
                                      className: "wb-points-input" });
        input.addEventListener("input", () => { tell(); });
        input.addEventListener("input", debounce(() => commit(read()), 400));
        input.addEventListener("change", () => commit(read()));
        row.appendChild(input);
        table.appendChild(row);
        inputs.push(input);
      });
      body.appendChild(table);
      sync = () => {
        const value = model.get("value") || {};
        options().forEach(([, v], i) => {
          const given = value[v];
          inputs[i].value = given === undefined || given === null ? "" : String(given);
        });
        tell();
      };
    } else {
      // One input: text, textarea, number, email, tel, date, select.
      let input;
      const id = uid + "-input";
      if (kind === "select") {
        input = make("select", { id, autocomplete: props.autocomplete || null });
        input.appendChild(make("option", { value: "" }, props.placeholder || ""));
        options().forEach(([text], i) => input.appendChild(make("option", { value: String(i) }, text)));
        input.addEventListener("change", () => {
          const i = input.value === "" ? -1 : parseInt(input.value, 10);
          commit(i < 0 ? null : options()[i][1]);
        });
        sync = () => {
          const value = model.get("value");
          const i = options().findIndex(([, v]) => v === value);
          input.value = i < 0 ? "" : String(i);
        };
      } else {
        const multiline = kind === "textarea";
        const type = { number: "text", email: "email", tel: "tel", date: "date" }[kind] || "text";
        input = multiline ? make("textarea", { id, rows: 5 }) : make("input", { id, type });
        if (kind === "number") {
          input.setAttribute("inputmode", props.integer ? "numeric" : "decimal");
        }
        for (const key of ["autocomplete", "maxlength", "placeholder", "spellcheck"]) {
          if (props[key] !== undefined && props[key] !== null) input.setAttribute(key, String(props[key]));
        }
        if (!props.autocomplete && kind !== "date") input.setAttribute("autocomplete", "off");
        const counter = props.maxlength && (multiline || props.maxlength > 60);
        const announce = debounce(() => {
          const left = props.maxlength - input.value.length;
          const text = left > 1 ? props.left_chars_many : props.left_chars_one;
          extra.textContent = fill(text, { n: left });
        }, 700);
        input.addEventListener("input", () => {
          if (counter) announce();
        });
        input.addEventListener("input", debounce(() => commit(input.value), 400));
        input.addEventListener("change", () => commit(input.value));
        sync = () => {
          const value = model.get("value");
          const text = value === null || value === undefined ? "" : String(value);
          if (input.value !== text) input.value = text;
        };
      }
      body.appendChild(input);
      if (kind === "number" && props.unit) {
        body.appendChild(make("span", { className: "wb-unit", id: uid + "-unit" }, props.unit));
      }
      inputs.push(input);
    }

    paintText();
    // A draft kept on this phone wins over an empty field (after a reload).
    const draft = readDraft(model.get("draft_key"));
    if (draft !== undefined && isEmpty(model.get("value")) && !isEmpty(draft)) {
      model.set("value", draft);
      model.save_changes();
    }
    sync();
    paintError();

    const setDisabled = () => {
      const off = !!model.get("disabled");
      for (const node of inputs) {
        if (off) node.setAttribute("disabled", "");
        else node.removeAttribute("disabled");
      }
      if (!off) sync();  // re-applies limits (e.g. a maximum number of choices)
    };
    setDisabled();

    const focus = () => {
      const target = inputs.find((x) => x.checked) || inputs[0];
      if (!target) return;
      root.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    };

    model.on("change:value", sync);
    model.on("change:error", paintError);
    model.on("change:label change:hint change:help change:required", paintText);
    model.on("change:disabled", setDisabled);
    model.on("change:focus", focus);
    return () => {
      model.off("change:value", sync);
      model.off("change:error", paintError);
      model.off("change:label change:hint change:help change:required", paintText);
      model.off("change:disabled", setDisabled);
      model.off("change:focus", focus);
    };
  }

  function clearDrafts(prefix) {
    if (!cleared.includes(prefix)) cleared.push(prefix);
    try {
      const keys = [];
      for (let i = 0; i < window.localStorage.length; i++) {
        const key = window.localStorage.key(i);
        if (key && key.startsWith(DRAFT + prefix)) keys.push(key);
      }
      keys.forEach((key) => window.localStorage.removeItem(key));
    } catch (e) { /* no storage */ }
  }

  window.workbenchFields = { render, clearDrafts };
})();
