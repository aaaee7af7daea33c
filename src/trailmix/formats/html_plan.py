"""The plan as one printable, self-contained HTML page: a week-by-week grid (Monday to Sunday),
road and trail sessions told apart by colour and label, each week's road/trail bar against its
cap (the one-third line of R1), and the reasons under each session. On screen the reasons fold
into a "why" disclosure; printed, every reason is on paper (a closed `<details>` prints closed, so
the reasons are also written out in a list only print shows). On a narrow screen (a phone) the
grid becomes a stack of day cards, one week after another. No external assets; every text is
escaped; the markup is well-formed XML too (XHTML-compatible), so any parser reads it.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from trailmix.domain.rules import TRAIL_SHARE_CAP
from trailmix.domain.types import Plan, Session, Surface, Week
from trailmix.domain.units import format_minutes, format_pace_range

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem;margin:0 0 .3rem}
.meta{color:#555;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #ccc;vertical-align:top;padding:.3rem;font-size:.8rem}
th{background:#f3f3f3}
td.week{width:9rem}
.s{border-radius:4px;padding:.25rem;margin-bottom:.2rem}
.road{background:#eef0f3;border-left:4px solid #6b7280}
.trail{background:#e6f4ea;border-left:4px solid #2e7d32}
.rest{background:#fff;border-left:4px dashed #bbb;color:#666}
.tag{font-size:.65rem;text-transform:uppercase;letter-spacing:.05em;color:#555}
.trail .tag{color:#2e7d32;font-weight:bold}
.title{font-weight:600}
.bar{position:relative;height:.8rem;background:#9ca3af;margin:.3rem 0}
.bar .t{position:absolute;right:0;top:0;bottom:0;background:#2e7d32}
.bar .cap{position:absolute;top:-2px;bottom:-2px;width:2px;background:#c62828}
details{margin-top:.2rem}
summary{cursor:pointer;color:#555}
ul{margin:.2rem 0;padding-left:1rem}
.why-print{display:none}
.wd{display:none}
.warn{background:#fff4e5;border:1px solid #f0b35b;padding:.5rem;margin-bottom:1rem}
@media print{
  body{margin:0;font-size:9pt}
  tr{break-inside:avoid;page-break-inside:avoid}
  .road,.trail,.bar,.bar .t,.bar .cap{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  details{display:none}
  .why-print{display:block;font-size:7pt;color:#333}
}
@media screen and (max-width:700px){
  body{margin:.6rem}
  table,tbody,tr,td{display:block;width:auto}
  thead{display:none}
  tr{margin-bottom:1rem}
  td{border:none;border-bottom:1px solid #eee;padding:.3rem 0;font-size:.9rem}
  td.week{width:auto;background:#f3f3f3;padding:.4rem;border-radius:4px}
  td.free{display:none}
  .wd{display:inline}
  .s{overflow-wrap:anywhere}
}
"""

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _session(s: Session) -> str:
    cls = "rest" if not s.kind.is_running and s.kind.value != "hike" else s.surface.value
    tag = "trail" if s.surface is Surface.TRAIL else ("road" if s.kind.is_running else s.kind.value)
    lo, hi = s.target.rpe
    facts = [format_minutes(s.duration_min)] if s.duration_min else []
    if s.kind.is_running or s.kind.value == "hike":
        facts.append(f"RPE {lo}-{hi}")
    if s.target.pace_s_per_km and s.surface is Surface.ROAD:
        facts.append(format_pace_range(s.target.pace_s_per_km))
    if s.target.hr_bpm:
        facts.append(f"HR {s.target.hr_bpm[0]}-{s.target.hr_bpm[1]}")
    where = ""
    if s.surface is Surface.TRAIL:
        place = s.trail.name if s.trail else "any trail (R7)"
        shoe = f", {s.shoe.value.replace('_', ' ')} shoe" if s.shoe else ""
        where = f'<div class="where">{_e(place)}{_e(shoe)}</div>'
    reasons = "".join(f"<li><b>{_e(r.rule)}</b>: {_e(r.text)}</li>" for r in s.reasons)
    return (
        f'<div class="s {cls}"><div class="tag">{_e(tag)} · {_e(s.kind.value)}</div>'
        f'<div class="title">{_e(s.title)}</div><div>{_e(", ".join(facts))}</div>{where}'
        f"<details><summary>why</summary><ul>{reasons}</ul></details>"
        f'<ul class="why-print">{reasons}</ul></div>'
    )


def _week_cell(w: Week) -> str:
    sm = w.summary
    trail_pct = 100 * sm.trail_share
    cap = w.trail_cap or TRAIL_SHARE_CAP
    bar = (
        f'<div class="bar" title="road {sm.road_min:.0f} min, trail {sm.trail_min:.0f} min">'
        f'<div class="t" style="width:{trail_pct:.1f}%"></div>'
        f'<div class="cap" style="right:{100 * cap:.1f}%"></div></div>'
    )
    benefits = (
        f"<div>Builds: {_e(', '.join(b.value for b in sm.benefits))}</div>" if (sm.benefits) else ""
    )
    cut = ", cut-back" if w.cutback else ""
    return (
        f'<td class="week"><b>Week {w.index}</b><br/>{_e(w.phase.value)}{cut}<br/>'
        f"{_e(w.start.isoformat())}<br/>{_e(format_minutes(sm.total_min))}: road "
        f"{_e(format_minutes(sm.road_min))}, trail {_e(format_minutes(sm.trail_min))} "
        f"({sm.trail_share:.0%} of max {cap:.0%}){bar}{benefits}</td>"
    )


def plan_to_html(plan: Plan) -> str:
    """The whole plan as a standalone HTML document."""
    race = plan.race
    name = race.name or f"{race.distance.label} race"
    rows = []
    for w in plan.weeks:
        cells = [_week_cell(w)]
        for d in range(7):
            day = w.start + timedelta(days=d)
            inner = "".join(_session(s) for s in w.sessions if s.date == day)
            free = "" if inner else ' class="free"'
            cells.append(
                f'<td{free}><div class="tag"><span class="wd">{_DAYS[d]} </span>{day.day}</div>'
                f"{inner}</td>"
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    warnings = "".join(f"<li><b>{_e(r.rule)}</b>: {_e(r.text)}</li>" for r in plan.warnings)
    notes = "".join(f"<li><b>{_e(r.rule)}</b>: {_e(r.text)}</li>" for r in plan.notes)
    head = "".join(f"<th>{d}</th>" for d in _DAYS)
    return (
        "<!DOCTYPE html>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/>'
        f"<title>{_e(f'trailmix: {name}, {race.date.isoformat()}')}</title>"
        f"<style>{_CSS}</style></head><body><main>"
        f"<h1>{_e(name)}: {_e(race.date.isoformat())}</h1>"
        f'<p class="meta">{_e(race.distance.label)}, {len(plan.weeks)} weeks from '
        f"{_e(plan.start.isoformat())}; trail preference {_e(plan.trail_preference.value)}, "
        f"at most {plan.trail_cap:.0%} of a week on trails (R1). Grey: road; green: trail. "
        "The red mark on each bar is the week's trail cap.</p>"
        + (
            f'<div class="warn"><b>Before you start</b><ul>{warnings}</ul></div>'
            if warnings
            else ""
        )
        + (f"<ul>{notes}</ul>" if notes else "")
        + f"<table><thead><tr><th>Week</th>{head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></main></body></html>\n"
    )
