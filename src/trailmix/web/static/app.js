// trailmix web: uploads with a progress bar, and charts drawn with the bundled uPlot.
"use strict";
(function () {
  const ROAD = "#6b7280", TRAIL = "#2e7d32", CAP = "#c62828", LOAD = "#4682b4",
        MONO = "#e66101", HILL = "rgba(46,125,50,0.18)", REPEAT = "rgba(230,97,1,0.35)";

  function data(el) {
    const node = document.getElementById(el.dataset.source);
    return node ? JSON.parse(node.textContent) : null;
  }

  function width(el) { return Math.max(240, el.clientWidth || 300); }

  function hillsPlugin(hills) {
    return { hooks: { drawClear: [function (u) {
      const ctx = u.ctx;
      ctx.save();
      for (const h of hills) {
        const x0 = u.valToPos(h.from, "x", true), x1 = u.valToPos(h.to, "x", true);
        ctx.fillStyle = h.repeat ? REPEAT : HILL;
        ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
        if (h.repeat) {
          ctx.fillStyle = "#b35900";
          ctx.font = (12 * devicePixelRatio) + "px sans-serif";
          ctx.fillText("repeat hill", x0 + 4, u.bbox.top + 14 * devicePixelRatio);
        }
      }
      ctx.restore();
    }] } };
  }

  function profile(el, d) {
    const elev = d.elevation.map(v => (v === null ? null : v));
    return new uPlot({
      width: width(el), height: 220, plugins: [hillsPlugin(d.hills)],
      scales: { x: { time: false } },
      axes: [{ label: "km" }, { label: "m" }],
      series: [{ label: "km" }, { label: "elevation m", stroke: TRAIL, width: 2, fill: "rgba(46,125,50,0.08)" }],
    }, [d.km, elev], el);
  }

  function weeksX(d) { return d.weeks.map((_, i) => i + 1); }

  function load(el, d) {
    const limit = d.weeks.map(() => 2.0);
    return new uPlot({
      width: width(el), height: 220,
      scales: { x: { time: false }, mono: { range: [0, Math.max(3, ...d.monotony)] } },
      axes: [{ label: "week", values: (u, vals) => vals.map(v => (d.weeks[v - 1] || "").slice(5)) },
             { label: "load (AU)" }, { scale: "mono", side: 1, label: "monotony", grid: { show: false } }],
      series: [{ label: "week" },
        { label: "load", stroke: LOAD, fill: "rgba(70,130,180,0.3)", paths: uPlot.paths.bars({ size: [0.6, 40] }) },
        { label: "monotony", stroke: MONO, width: 2, scale: "mono" },
        { label: "monotony 2.0", stroke: CAP, dash: [6, 4], scale: "mono", points: { show: false } }],
    }, [weeksX(d), d.load, d.monotony, limit], el);
  }

  function acwr(el, d) {
    const x = d.acwr_dates.map(s => Date.parse(s + "T12:00:00Z") / 1000);
    return new uPlot({
      width: width(el), height: 200,
      series: [{ label: "day" }, { label: "acute (7 d)", stroke: MONO, width: 2 },
               { label: "chronic (28 d)", stroke: LOAD, width: 2 }],
    }, [x, d.acute, d.chronic], el);
  }

  const CHARTS = { profile, load, acwr };

  function charts(root) {
    if (typeof uPlot === "undefined") return;
    for (const el of root.querySelectorAll("[data-chart]")) {
      const d = data(el), draw = CHARTS[el.dataset.chart];
      if (!d || !draw) continue;
      el.textContent = "";
      el.classList.add("drawn");
      draw(el, d);
    }
  }

  // The page's CSRF token (web/auth.py): every request that changes something sends it back.
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function uploads(root) {
    for (const form of root.querySelectorAll("form[data-upload]")) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        const bar = form.querySelector("progress"), status = form.querySelector(".status");
        const xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("X-CSRF-Token", csrfToken());
        bar.hidden = false; bar.value = 0;
        status.textContent = "uploading…";
        xhr.upload.onprogress = function (e) {
          if (e.lengthComputable) {
            bar.value = Math.round(100 * e.loaded / e.total);
            status.textContent = "uploading… " + bar.value + "%";
          }
        };
        xhr.upload.onload = function () { bar.removeAttribute("value"); status.textContent = "reading the files…"; };
        xhr.onerror = function () { status.textContent = "the upload failed: is trailmix still running?"; };
        xhr.onload = function () {
          const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
          document.title = doc.title;
          document.body.replaceWith(document.adoptNode(doc.body));
          if (xhr.responseURL && xhr.status < 400) history.replaceState(null, "", xhr.responseURL);
          init(document);
        };
        xhr.send(new FormData(form));
      });
    }
  }

  // An import a queue worker runs: its progress polled from the API until it is finished,
  // then the page again, which shows the report.
  function importProgress(root) {
    const card = root.querySelector("#import-report[data-job]");
    if (!card || card.dataset.status === "done" || card.dataset.status === "failed") return;
    const bar = card.querySelector("progress"), status = card.querySelector(".status");
    function poll() {
      fetch(card.dataset.job, { headers: { Accept: "application/json" } })
        .then(r => (r.ok ? r.json() : Promise.reject(r.status)))
        .then(function (job) {
          if (!card.isConnected) return;
          if (job.status === "done" || job.status === "failed") { location.reload(); return; }
          bar.max = Math.max(job.total, 1); bar.value = job.done;
          status.textContent = job.status === "queued" ? "waiting for an import worker…"
            : job.done + " of " + job.total + " run files read…";
          setTimeout(poll, 1000);
        })
        .catch(function () { if (card.isConnected) setTimeout(poll, 3000); });
    }
    setTimeout(poll, 1000);
  }

  // "Back" on an error page goes back in the history, where the form still holds its input.
  function backLinks(root) {
    for (const a of root.querySelectorAll("a[data-back]")) {
      a.addEventListener("click", function (ev) {
        if (history.length > 1) { ev.preventDefault(); history.back(); }
      });
    }
  }

  // The weekly volume's limits follow its unit (km or minutes), as the server's do.
  function volumeLimits(root) {
    const input = root.querySelector("input[name=weekly][data-km]");
    const unit = root.querySelector("select[name=weekly_unit]");
    if (!input || !unit) return;
    const apply = function () {
      const [lo, hi] = (unit.value === "min" ? input.dataset.min : input.dataset.km).split(",");
      input.min = lo; input.max = hi;
    };
    unit.addEventListener("change", apply);
    apply();
  }

  function init(root) { uploads(root); charts(root); backLinks(root); volumeLimits(root); importProgress(root); }

  document.addEventListener("DOMContentLoaded", () => init(document));
})();
