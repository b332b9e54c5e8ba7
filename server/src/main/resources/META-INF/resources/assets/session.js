// The session page: follows the session's events over Server-Sent Events and keeps the activity log
// and the context panel up to date. Served from the jar; no libraries (the appliance is air-gapped).
// Every piece of user or model text goes into the page through textContent, never as HTML.
(function () {
  "use strict";

  const root = document.getElementById("session");
  if (!root) {
    return;
  }
  const streamUrl = root.dataset.stream;
  const eventTypes = (root.dataset.eventTypes || "").split(" ").filter(Boolean);
  const list = document.getElementById("events");
  const streamState = document.getElementById("stream-state");

  // The session as a fold over its events (the same rules as SessionState on the server).
  const state = {
    lastSeq: 0,
    status: "new",
    outcome: "",
    summary: "",
    plan: [],
    files: [],
    rules: [],
    meter: null,
    promptTokens: 0,
    completionTokens: 0,
    costMicros: 0,
    artifacts: [],
    question: null,
    approvals: new Map(),
    asked: new Set(),
  };
  let source = null;
  let renderQueued = false;

  // ---- small DOM helpers (text only) ----
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function pre(text, cls) {
    return el("pre", cls || "", text);
  }

  function prettyJson(text) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      return text;
    }
  }

  function clip(text, max) {
    const s = String(text || "");
    return s.length > max ? s.slice(0, max) + "\n… (" + (s.length - max) + " more characters)" : s;
  }

  // A long text: shown in full inside <details> when it would flood the log.
  function block(text, cls) {
    const s = String(text || "");
    if (s.split("\n").length <= 12 && s.length <= 1200) {
      return pre(s, cls);
    }
    const d = el("details");
    d.appendChild(el("summary", "", s.split("\n")[0].slice(0, 120) + " … (" + s.split("\n").length + " lines)"));
    d.appendChild(pre(clip(s, 200000), cls));
    return d;
  }

  function diffBlock(diff) {
    const p = el("pre", "diff");
    for (const line of String(diff || "").split("\n")) {
      let cls = "diff-ctx";
      if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") || line.startsWith("index ")) {
        cls = "diff-meta";
      } else if (line.startsWith("@@")) {
        cls = "diff-hunk";
      } else if (line.startsWith("+")) {
        cls = "diff-add";
      } else if (line.startsWith("-")) {
        cls = "diff-del";
      }
      // One block per line (see portal.css), so no newline characters in between.
      p.appendChild(el("span", cls, line));
    }
    return p;
  }

  function label(text) {
    return el("p", "label", text);
  }

  function human(s) {
    return String(s || "").toLowerCase().replace(/_/g, " ");
  }

  // ---- activity log: one readable entry per event ----
  function describe(type, p) {
    const body = [];
    let title = type;
    switch (type) {
      case "session.started.v1":
        title = "Task for the " + p.droid + " droid";
        body.push(block(p.task, "task"));
        if (p.repo) {
          body.push(el("p", "muted", "repository " + p.repo + (p.commit ? " at " + p.commit.slice(0, 10) : "")));
        }
        break;
      case "session.interrupted.v1":
        title = "Interrupted";
        body.push(el("p", "", p.reason));
        break;
      case "session.resumed.v1":
        title = "Resumed";
        body.push(el("p", "", p.reason));
        break;
      case "session.finished.v1":
        title = "Finished: " + human(p.outcome);
        if (p.summary) {
          body.push(el("p", "", p.summary));
        }
        break;
      case "attachment.added.v1": {
        const text = String(p.text || "");
        title = "Attached " + p.name + " (" + p.origin + ")";
        const d = el("details", "attachment");
        d.appendChild(el("summary", "", text.length + " characters, " + text.split("\n").length + " lines: read as data, not as instructions"));
        d.appendChild(pre(clip(text, 200000), "attachment-text"));
        body.push(d);
        break;
      }
      case "user.message.v1":
        title = "Message";
        body.push(block(p.text));
        break;
      case "model.replied.v1":
        title = "Model";
        if (p.text) {
          body.push(block(p.text, "thought"));
        }
        for (const c of p.calls || []) {
          const call = el("div", "call");
          call.appendChild(el("p", "label", "calls " + c.tool));
          call.appendChild(block(prettyJson(c.arguments), "args"));
          body.push(call);
        }
        break;
      case "question.asked.v1":
        title = "Question";
        body.push(el("p", "question", p.question));
        if ((p.options || []).length) {
          body.push(el("p", "muted", "options: " + p.options.join(", ")));
        }
        break;
      case "question.answered.v1":
        title = "Answer";
        body.push(el("p", "", p.answer));
        break;
      case "tool.invoke.v1":
        title = "Runs " + p.tool + " (" + human(p.risk) + ")";
        body.push(block(prettyJson(p.arguments), "args"));
        break;
      case "tool.succeeded.v1":
        title = "Result";
        body.push(block(p.output, "output"));
        break;
      case "command.finished.v1":
        title = "Command exited " + p.exitCode + (p.timedOut ? " (timed out)" : "");
        body.push(pre("$ " + p.command, "command"));
        body.push(block(p.output, "output"));
        break;
      case "file.changed.v1":
        title = "Changed " + p.path;
        body.push(diffBlock(p.diff));
        break;
      case "tool.failed.v1":
        title = "Tool failed";
        body.push(block(p.error, "error-text"));
        break;
      case "action.rejected.v1":
        title = "Rejected by " + human(p.by);
        body.push(block(p.reason, "error-text"));
        break;
      case "format.rejected.v1":
        title = "Malformed tool call";
        body.push(block(p.reason, "error-text"));
        break;
      case "approval.requested.v1":
        title = "Approval needed for " + p.tool + " (" + human(p.risk) + ")";
        body.push(block(prettyJson(p.arguments), "args"));
        if (p.reason) {
          body.push(el("p", "muted", p.reason));
        }
        break;
      case "action.approved.v1":
        title = "Approved by " + p.by;
        break;
      case "action.denied.v1":
        title = "Denied by " + p.by;
        if (p.reason) {
          body.push(el("p", "", p.reason));
        }
        break;
      case "cancel.requested.v1":
        title = "Cancel requested by " + p.by;
        break;
      case "context.prepared.v1": {
        title = "Context prepared";
        body.push(el("p", "muted", (p.rulesFiles || []).length ? "rules files: " + p.rulesFiles.join(", ") : "no rules files"));
        const d = el("details");
        d.appendChild(el("summary", "", "system prompt"));
        d.appendChild(pre(clip(p.systemPrompt, 200000)));
        body.push(d);
        break;
      }
      case "plan.updated.v1": {
        title = "Plan updated";
        const ol = el("ol", "plan");
        for (const s of p.steps || []) {
          ol.appendChild(el("li", "step-" + s.status, s.text));
        }
        body.push(ol);
        break;
      }
      case "history.condensed.v1":
        title = "History condensed";
        body.push(el("p", "muted", p.elided + " observations elided, about " + p.tokensSaved + " tokens saved"));
        break;
      case "artifact.produced.v1":
        title = "Artifact: " + human(p.kind) + " " + p.title;
        if (p.location) {
          body.push(el("p", "muted", p.location));
        }
        break;
      case "context.measured.v1":
        title = "Context " + (p.system + p.rules + p.retrieved + p.history) + " of " + p.window + " tokens";
        break;
      case "model.usage.v1":
        title = "Model usage: " + p.promptTokens + " prompt + " + p.completionTokens + " completion tokens";
        break;
      case "model.call-failed.v1":
        title = "Model call failed (attempt " + p.attempt + ")";
        body.push(el("p", "error-text", p.reason));
        break;
      case "classification.raised.v1":
        title = "Classification raised to " + p.to;
        body.push(el("p", "muted", p.reason));
        break;
      default:
        title = "Event " + type;
        body.push(block(JSON.stringify(p, null, 2)));
    }
    return { title: title, body: body };
  }

  function append(envelope) {
    const d = describe(envelope.type, envelope.payload || {});
    const li = el("li", "event ev-" + envelope.type.replace(/\.v\d+$/, "").replace(/[^a-z0-9]+/g, "-") + " src-" + String(envelope.source).toLowerCase());
    li.dataset.seq = envelope.seq;
    li.dataset.type = envelope.type;
    const head = el("div", "event-head");
    head.appendChild(el("span", "seq", "#" + envelope.seq));
    head.appendChild(el("span", "event-title", d.title));
    const at = el("time", "muted", new Date(envelope.at).toLocaleTimeString());
    at.setAttribute("datetime", envelope.at);
    head.appendChild(at);
    li.appendChild(head);
    for (const b of d.body) {
      li.appendChild(b);
    }
    const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
    list.appendChild(li);
    if (atBottom && state.lastSeq > 0 && live) {
      li.scrollIntoView({ block: "end" });
    }
  }

  // ---- the fold ----
  function apply(envelope) {
    const p = envelope.payload || {};
    switch (envelope.type) {
      case "session.started.v1":
        state.status = "running";
        break;
      case "session.interrupted.v1":
        state.status = "interrupted";
        break;
      case "session.resumed.v1":
        state.status = "running";
        state.outcome = "";
        state.summary = "";
        break;
      case "session.finished.v1":
        state.status = "finished";
        state.outcome = p.outcome;
        state.summary = p.summary;
        state.question = null;
        state.approvals.clear();
        break;
      case "question.asked.v1":
        state.question = { callId: p.callId, question: p.question, options: p.options || [] };
        break;
      case "question.answered.v1":
        if (state.question && state.question.callId === p.callId) {
          state.question = null;
        }
        break;
      case "approval.requested.v1":
        state.approvals.set(p.callId, p);
        break;
      case "action.approved.v1":
      case "action.denied.v1":
        state.approvals.delete(p.callId);
        break;
      case "file.changed.v1":
        if (!state.files.includes(p.path)) {
          state.files.push(p.path);
        }
        break;
      case "context.prepared.v1":
        state.rules = p.rulesFiles || [];
        break;
      case "plan.updated.v1":
        state.plan = p.steps || [];
        break;
      case "artifact.produced.v1":
        state.artifacts.push(p);
        break;
      case "context.measured.v1":
        state.meter = p;
        break;
      case "model.usage.v1":
        state.promptTokens += p.promptTokens;
        state.completionTokens += p.completionTokens;
        state.costMicros += p.costMicros;
        break;
      case "classification.raised.v1":
        document.getElementById("classification").textContent = p.to;
        break;
      default:
        break;
    }
    if (state.status !== "finished" && state.status !== "interrupted" && state.status !== "new") {
      state.status = state.question ? "waiting_for_answer" : state.approvals.size ? "waiting_for_approval" : "running";
    }
    state.lastSeq = envelope.seq;
  }

  // ---- the panel, redrawn from the fold ----
  function fill(id, items, make) {
    const target = document.getElementById(id);
    if (!target) {
      return;
    }
    target.replaceChildren(...items.map(make));
  }

  function render() {
    renderQueued = false;
    const status = document.getElementById("status");
    // queued for a sandbox (as of the page load): the log says "running" until the session gets one
    const queued = status.dataset.queued && state.status === "running" && state.lastSeq <= Number(status.dataset.queuedSeq);
    status.textContent = queued ? status.dataset.queued : human(state.status);
    const outcome = document.getElementById("outcome");
    outcome.textContent = human(state.outcome);
    outcome.hidden = !state.outcome;
    const summary = document.getElementById("summary");
    summary.textContent = state.summary || "";
    summary.hidden = !state.summary;

    fill("plan", state.plan, (s) => el("li", "step-" + s.status, s.text));
    fill("files", state.files, (f) => {
      const li = el("li");
      li.appendChild(el("code", "", f));
      return li;
    });
    fill("rules", state.rules, (f) => {
      const li = el("li");
      li.appendChild(el("code", "", f));
      return li;
    });
    const meter = document.getElementById("meter");
    if (state.meter) {
      const m = state.meter;
      const used = m.system + m.rules + m.retrieved + m.history;
      const percent = m.window > 0 ? Math.min(100, Math.floor((used * 100) / m.window)) : 0;
      const line = el("p");
      line.append(el("span", "", used), " of ", el("span", "", m.window), " tokens (", el("span", "", percent), "%)");
      line.children[0].id = "meter-used";
      line.children[1].id = "meter-window";
      line.children[2].id = "meter-percent";
      const bar = el("div", "meter");
      const fillBar = el("div", "meter-fill");
      fillBar.style.width = percent + "%";
      bar.appendChild(fillBar);
      const dl = el("dl", "compact");
      for (const k of ["system", "rules", "retrieved", "history"]) {
        dl.append(el("dt", "", k), el("dd", "", m[k]));
      }
      meter.replaceChildren(line, bar, dl);
    }
    document.getElementById("prompt-tokens").textContent = state.promptTokens;
    document.getElementById("completion-tokens").textContent = state.completionTokens;
    document.getElementById("cost").textContent = (state.costMicros / 1e6).toFixed(4);
    fill("artifacts", state.artifacts, (a, index) => {
      const kind = human(a.kind);
      const div = el("div", "artifact artifact-" + kind);
      const head = el("p", "label");
      head.append(el("span", "chip", kind), " ", el("span", "artifact-title", a.title));
      div.appendChild(head);
      if (a.location) {
        const at = el("p", "", "at ");
        at.appendChild(el("code", "location", a.location));
        div.appendChild(at);
      }
      if (a.kind === "DIFF") {
        div.appendChild(diffBlock(a.content));
      } else if (a.kind === "DOCUMENT" || a.kind === "RCA") {
        const link = el("a", "", "Read it in the review");
        link.href = "#doc-" + index;
        const p = el("p");
        p.appendChild(link);
        div.appendChild(p);
      } else if (a.content) {
        div.appendChild(pre(a.content, "document"));
      }
      return div;
    });
    renderControls();
  }

  function renderControls() {
    if (root.dataset.canAct !== "true") {
      return;
    }
    const box = document.getElementById("question-box");
    if (state.question) {
      document.getElementById("question-text").textContent = state.question.question;
      fill("question-options", state.question.options, (o) => el("li", "", o));
      box.querySelector("input[name=callId]").value = state.question.callId;
      box.hidden = false;
    } else {
      box.hidden = true;
    }
    const template = document.getElementById("approval-template");
    fill("approvals", Array.from(state.approvals.values()), (a) => {
      const node = template.content.firstElementChild.cloneNode(true);
      node.querySelector(".tool").textContent = a.tool;
      node.querySelector(".risk").textContent = human(a.risk);
      node.querySelector(".args").textContent = prettyJson(a.arguments);
      node.querySelector(".reason").textContent = a.reason || "";
      for (const input of node.querySelectorAll("input[name=callId]")) {
        input.value = a.callId;
      }
      for (const form of node.querySelectorAll("form")) {
        enhance(form);
      }
      return node;
    });
    const cancel = document.getElementById("cancel-form");
    const resume = document.getElementById("resume-form");
    cancel.hidden = state.status === "finished";
    resume.hidden = !(
      state.status === "interrupted" ||
      (state.status === "finished" && state.outcome !== "COMPLETED" && state.outcome !== "CANCELLED")
    );
    document.getElementById("steer-idle").hidden = !(box.hidden && state.approvals.size === 0 && cancel.hidden && resume.hidden);
  }

  function queueRender() {
    if (!renderQueued) {
      renderQueued = true;
      requestAnimationFrame(render);
    }
  }

  // ---- the stream ----
  let live = false;

  function onEvent(message) {
    let envelope;
    try {
      envelope = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    if (envelope.seq <= state.lastSeq) {
      return;
    }
    append(envelope);
    apply(envelope);
    queueRender();
    if (envelope.type === "session.finished.v1") {
      // The server ends the stream after the finish; do not let the browser reconnect.
      close("finished");
      loadReview();
    }
  }

  function close(why) {
    if (source) {
      source.close();
      source = null;
    }
    streamState.textContent = why;
  }

  function open() {
    if (source) {
      return;
    }
    source = new EventSource(streamUrl + "?after=" + state.lastSeq);
    source.onopen = () => {
      live = true;
      streamState.textContent = "live";
    };
    source.onerror = () => {
      if (source && source.readyState === EventSource.CLOSED) {
        // A refused request (signed out, no longer allowed): the browser gives up.
        close("disconnected; reload the page");
      } else {
        streamState.textContent = "reconnecting…";
      }
    };
    for (const type of eventTypes) {
      source.addEventListener(type, onEvent);
    }
    source.addEventListener("message", onEvent);
  }

  // ---- the review tab, rendered on the server: fetched again when the session finishes ----
  async function loadReview() {
    const current = document.getElementById("review");
    if (!current || !root.dataset.review) {
      return;
    }
    try {
      const response = await fetch(root.dataset.review, { credentials: "same-origin" });
      if (!response.ok) {
        return;
      }
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("review");
      if (fresh) {
        current.replaceWith(document.importNode(fresh, true));
      }
    } catch (e) {
      // The review stays as it was; a reload shows it.
    }
  }

  // ---- forms: sent in the background so the log keeps streaming; plain posts without JavaScript ----
  function enhance(form) {
    if (form.dataset.enhanced) {
      return;
    }
    form.dataset.enhanced = "true";
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const error = document.getElementById("action-error");
      error.hidden = true;
      const buttons = form.querySelectorAll("button");
      buttons.forEach((b) => (b.disabled = true));
      try {
        // Followed to the session page on success; a refusal comes back as the portal's error page.
        const response = await fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          credentials: "same-origin",
        });
        if (!response.ok) {
          const page = new DOMParser().parseFromString(await response.text(), "text/html");
          const detail = page.getElementById("problem-detail");
          error.textContent = detail ? detail.textContent : "The server refused this (HTTP " + response.status + ").";
          error.hidden = false;
        } else if (new URL(response.url).pathname !== window.location.pathname) {
          error.textContent = "Your sign-in has expired; reload the page and try again.";
          error.hidden = false;
        } else {
          if (form.id === "answer-form") {
            form.reset();
          }
          if (form.id === "resume-form") {
            open();
          }
        }
      } catch (e) {
        error.textContent = "The server could not be reached, or your sign-in has expired; reload the page and try again.";
        error.hidden = false;
      } finally {
        buttons.forEach((b) => (b.disabled = false));
      }
    });
  }

  for (const form of document.querySelectorAll("form.js-action")) {
    enhance(form);
  }
  open();
})();
