// starcoach web app: the little JavaScript the pages use. No libraries, nothing fetched from elsewhere.
// Every page works without it; it adds the countdown, keyboard shortcuts and the live STAR check.
"use strict";

(function () {
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  // "Go back" links on error pages, and forms that ask first (delete).
  document.querySelectorAll("[data-back]").forEach((a) => a.addEventListener("click", (ev) => {
    if (history.length > 1) { ev.preventDefault(); history.back(); }
  }));
  document.querySelectorAll("form[data-confirm]").forEach((f) => f.addEventListener("submit", (ev) => {
    if (!window.confirm(f.dataset.confirm)) ev.preventDefault();
  }));

  // Keyboard: single keys click the matching accesskey link (r retry, n next, f follow-up); "/" searches.
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(document.activeElement)) return;
    if (ev.key === "/") {
      const search = document.querySelector("[data-hotkey='/']");
      if (search) { ev.preventDefault(); search.focus(); }
      return;
    }
    const target = document.querySelector(`[accesskey="${CSS.escape(ev.key.toLowerCase())}"]`);
    if (target && ev.key.length === 1) { ev.preventDefault(); target.click(); }
  });

  // Practice: countdown, elapsed seconds, word count, Ctrl+Enter to submit.
  const timer = document.getElementById("timer");
  const form = document.getElementById("answer-form");
  if (timer && form) {
    const total = parseInt(timer.dataset.seconds, 10) || 120;
    const value = document.getElementById("timer-value");
    const note = document.getElementById("timer-note");
    const toggle = document.getElementById("timer-toggle");
    let elapsed = 0, running = true;
    const fmt = (s) => `${s < 0 ? "-" : ""}${Math.floor(Math.abs(s) / 60)}:${String(Math.abs(s) % 60).padStart(2, "0")}`;
    const draw = () => {
      const left = total - elapsed;
      value.textContent = fmt(left);
      timer.classList.toggle("low", left <= 20 && left > 0);
      timer.classList.toggle("over", left <= 0);
      if (left <= 0) note.textContent = "time is up: wrap up with the result";
    };
    setInterval(() => { if (running) { elapsed += 1; draw(); } }, 1000);
    toggle.addEventListener("click", () => { running = !running; toggle.textContent = running ? "Pause" : "Resume"; });
    const answer = document.getElementById("answer");
    const words = document.getElementById("word-count");
    const count = () => {
      const n = (answer.value.match(/\S+/g) || []).length;
      words.textContent = `${n} word${n === 1 ? "" : "s"} · about ${fmt(Math.round(n / 2.3))} spoken`;
    };
    answer.addEventListener("input", count);
    answer.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener("submit", () => {
      document.getElementById("elapsed").value = String(elapsed);
      document.getElementById("analyze-btn").textContent = "Analyzing…";
    });
    count();
  }

  // Stories: live STAR check of the form while typing (debounced), from /api/story-bank/check.
  const storyForm = document.getElementById("story-form");
  const check = document.getElementById("star-check");
  if (storyForm && check) {
    let pending = null, seq = 0;
    const run = async () => {
      const mine = ++seq;
      const data = Object.fromEntries(new FormData(storyForm).entries());
      delete data.csrf_token;
      try {
        const res = await fetch("/api/story-bank/check", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
          body: JSON.stringify(data),
        });
        if (!res.ok || mine !== seq) return;
        const result = await res.json();
        check.querySelectorAll("[data-part]").forEach((el) => {
          el.classList.toggle("present", (result.present || []).includes(el.dataset.part));
        });
        const msg = document.getElementById("star-check-msg");
        if (msg) msg.textContent = result.message || "";
      } catch (err) { /* offline check failed: the server check on save still runs */ }
    };
    storyForm.addEventListener("input", () => { clearTimeout(pending); pending = setTimeout(run, 350); });
  }
  // Practice by voice: record with MediaRecorder, upload to /api/attempts/audio (CSRF header), then show
  // the attempt's page (transcript in STAR colours, timeline). Shown only where the browser can record.
  const voice = document.getElementById("voice");
  if (voice && window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    voice.hidden = false;
    const btn = document.getElementById("record-btn");
    const status = document.getElementById("record-status");
    let recorder = null, chunks = [], started = 0;
    const upload = async (blob) => {
      status.textContent = "Transcribing on this machine…";
      const body = new FormData();
      const type = (blob.type || "audio/webm").split(";")[0];
      body.append("audio", blob, "answer" + ({ "audio/ogg": ".ogg", "audio/mp4": ".m4a", "audio/wav": ".wav" }[type] || ".webm"));
      body.append("question", voice.dataset.question);
      body.append("seconds", String(Math.round((Date.now() - started) / 1000)));
      if (voice.dataset.retryOf) body.append("retry_of", voice.dataset.retryOf);
      try {
        const res = await fetch("/api/attempts/audio", {
          method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf() }, body,
        });
        const data = await res.json();
        if (!res.ok) throw new Error(data.detail || data.error || `error ${res.status}`);
        window.location.assign(`/attempts/${data.attempt.id}`);
      } catch (err) {
        status.textContent = `Not saved: ${err.message}`;
        btn.disabled = false;
      }
    };
    btn.addEventListener("click", async () => {
      if (recorder && recorder.state === "recording") {
        recorder.stop();
        btn.disabled = true;
        btn.classList.remove("recording");
        btn.setAttribute("aria-pressed", "false");
        btn.textContent = "● Record your answer";
        return;
      }
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        recorder = new MediaRecorder(stream);
        chunks = [];
        recorder.addEventListener("dataavailable", (ev) => {
          if (ev.data.size) chunks.push(ev.data);
          voice.dataset.recorded = String(chunks.length);  // seconds recorded (one chunk a second)
        });
        recorder.addEventListener("stop", () => {
          stream.getTracks().forEach((t) => t.stop());
          upload(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
        });
        recorder.start(1000);
        started = Date.now();
        btn.classList.add("recording");
        btn.setAttribute("aria-pressed", "true");
        btn.textContent = "■ Stop and analyze";
        status.textContent = "Recording… speak your answer, then press Stop.";
      } catch (err) {
        status.textContent = `No microphone: ${err.message}`;
      }
    });
  }
})();
