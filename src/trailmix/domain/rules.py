"""The article's rules (R1-R12, ../shared/docs/article-rules.md) and the named sources trailmix
cites, as Reason values in words a runner understands. Code cites these instead of writing
its own prose, so `docs/rules.md` and `trailmix explain` stay in step."""

from __future__ import annotations

from trailmix.domain.types import Reason

DEFAULT = "trailmix default"

RULES: dict[str, str] = {
    "R1": "Up to one third of your training can be on trails if you enjoy them.",
    "R2": "One trail recovery run a week brings the benefits, fewer injuries included, even to "
    "runners who don't love trails.",
    "R3": "Long runs, race-specific work and the last weeks stay on the road: on race day your "
    "body must be used to long stretches of pavement.",
    "R4": "Apart from the fresh mind, which is immediate, trail benefits take about 6-8 weeks "
    "to show up.",
    "R5": "On trails, run by time and effort (RPE 1-10), not pace: uneven ground makes pace "
    "meaningless.",
    "R6": "Flatter dirt trails with some rocks and ruts suit recovery runs (they work your "
    "ankles); hillier routes suit hill repeats, which build power.",
    "R7": "Any trail helps: every trail gives power, stability and a fresh mind.",
    "R8": "Work with what you've got: adapt the workout to the hill you have instead of "
    "skipping it; the warm-up covers the way to the hill.",
    "R9": "Hike a technical trail once before you run it.",
    "R10": "Smooth trails: your road trainer is fine. Anything more technical: a supportive "
    "trail shoe. Not ready to commit: a road-to-trail hybrid.",
    "R11": "Harder trail workouts (hill repeats, trail fartlek, sustained effort) each with "
    "easy warm-up and cool-down minutes. The article's list is cut off; these three are "
    "trailmix's design.",
    "R12": "Trails build power, stability and form, fewer overuse injuries and a fresh mind.",
}


def rule(rule_id: str, text: str | None = None) -> Reason:
    """A Reason citing rule `rule_id`, with the rule's own words unless `text` says more."""
    return Reason(rule_id, text if text is not None else RULES[rule_id])


def default(text: str) -> Reason:
    """A Reason for a choice trailmix made where no rule or source decides."""
    return Reason(DEFAULT, text)


def source(name: str, text: str) -> Reason:
    return Reason(name, text)


def is_cited(reason: Reason) -> bool:
    """True when a reason names a rule id, a source, or is marked as trailmix's own default."""
    return bool(reason.rule.strip()) and bool(reason.text.strip())
