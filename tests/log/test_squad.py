"""Coach mode's use cases (app/squad.py): the squad table from each runner's own numbers, the
active link that every coach action needs, plan changes that keep R1-R12 and say who and why,
notes, invitations and shared trails."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from support.cliharness import Cli
from support.squad import MONDAY, START, TODAY, Squad, squad_at
from trailmix.app import log as tlog
from trailmix.app import plans, squad
from trailmix.app.inputs import ProfileFlags
from trailmix.domain.plan.checks import new_breaks, rule_breaks
from trailmix.domain.plan.edits import COACH_RULE
from trailmix.domain.types import Kind, Surface
from trailmix.errors import InputError, NotFoundError

BOTH_STORES = pytest.mark.both_stores  # the squad's numbers, isolation, a recorded change


@pytest.fixture
def sq(db_url: str) -> Squad:
    return squad_at(db_url)


@BOTH_STORES
def test_squad_rows_are_the_runners_own_log_week_and_stats(sq: Squad, cli: Cli) -> None:
    rows = {r.runner.login: r for r in squad.squad(sq.db, sq.coach, TODAY)}
    assert sorted(rows) == ["ben", "local"]  # Sam has no coach: not in the squad
    # Ann is the local runner: her numbers are what `trailmix log week/stats` print.
    week = cli("log", "week", "--format", "json").json()
    stats = cli("log", "stats", "--weeks", "6", "--format", "json").json()
    ann = rows["local"].week
    assert ann.planned_min == pytest.approx(week["planned_road_min"] + week["planned_trail_min"])
    assert ann.done_min == pytest.approx(week["road_min"] + week["trail_min"])
    assert ann.trail_share == pytest.approx(week["trail_share"])
    assert ann.trail_cap == pytest.approx(week["trail_cap"])
    assert ann.trail_weeks == pytest.approx(week["trail_weeks"]["weeks_since_first"])
    this = next(w for w in stats["weeks"] if w["start"] == MONDAY.isoformat())
    assert ann.load == pytest.approx(this["load"])
    assert ann.monotony == pytest.approx(this["monotony"])
    assert ann.done_min == pytest.approx(50.0)  # her trail run today
    # Ben's: his own use cases on his view of the database; a different plan and log.
    view = sq.db.for_user(sq.ben)
    report = tlog.week(view, TODAY, TODAY)
    w = report.adherence.weeks[report.index]
    ben = rows["ben"].week
    assert ben.planned_min == pytest.approx(round(w.planned_road_min + w.planned_trail_min, 1))
    assert ben.done_min == pytest.approx(35.0) and ben.trail_min == 0
    assert ben.trail_cap == pytest.approx(0.2)
    assert ben.planned_min != ann.planned_min
    st = tlog.stats(view, 6, TODAY)
    assert ben.load == pytest.approx(round(st.weeks[-1].load, 1))
    # Ben skipped his trail run in the plan's second week: R2, and the flag says so.
    assert ben.missed_trail_weeks == (2,)
    assert any("R2" in f for f in ben.flags)
    assert ann.missed_trail_weeks == ()


@BOTH_STORES
def test_a_coach_without_an_active_link_gets_not_found_for_everything(sq: Squad) -> None:
    day = plans.current(sq.db.for_user(sq.stranger)).sessions[-2].date
    calls = [
        lambda who: squad.runner_view(sq.db, sq.coach, who, TODAY),
        lambda who: squad.runner_plan(sq.db, sq.coach, who),
        lambda who: squad.changes(sq.db, sq.coach, who),
        lambda who: squad.runner_notes(sq.db, sq.coach, who),
        lambda who: squad.add_note(sq.db, sq.coach, who, day, "hi"),
        lambda who: squad.move_session(sq.db, sq.coach, who, day, day + timedelta(1), "x"),
        lambda who: squad.replace_session(sq.db, sq.coach, who, day, "rest", "road", "x"),
        lambda who: squad.change_profile(
            sq.db, sq.coach, who, ProfileFlags(trail_cap="0.2"), "x", TODAY
        ),
    ]
    for call in calls:
        for who in (sq.stranger, 999, sq.coach):
            with pytest.raises(NotFoundError, match="no runner"):
                call(who)
    with pytest.raises(NotFoundError):  # Otto coaches nobody: Ann is not his
        squad.runner_plan(sq.db, sq.other_coach, sq.ann)
    # An invitation not yet accepted is not a link either.
    squad.invite(sq.db, sq.coach, "sam")
    with pytest.raises(NotFoundError):
        squad.runner_plan(sq.db, sq.coach, sq.stranger)
    assert plans.current(sq.db.for_user(sq.stranger)) is not None  # untouched


def _trail_recovery_week(plan: plans.Plan) -> tuple[int, plans.Session]:
    for i, w in enumerate(plan.weeks[4:-3], start=4):
        runs = [s for s in w.sessions if s.surface is Surface.TRAIL and s.kind.is_running]
        easy = [s for s in runs if s.kind in (Kind.EASY, Kind.RECOVERY)]
        if len(easy) == 1:
            return i, easy[0]
    raise AssertionError("no week with exactly one trail easy run")


def test_a_move_that_breaks_r2_is_refused_naming_the_rule(sq: Squad) -> None:
    plan = squad.runner_plan(sq.db, sq.coach, sq.ann)
    i, s = _trail_recovery_week(plan)
    nxt = plan.weeks[i + 1]
    busy = {x.date for x in nxt.sessions}
    free = next(nxt.start + timedelta(d) for d in range(7) if nxt.start + timedelta(d) not in busy)
    with pytest.raises(InputError, match="R2") as err:
        squad.move_session(sq.db, sq.coach, sq.ann, s.date, free, "travelling")
    assert "week" in str(err.value)
    assert plans.current(sq.db.for_user(sq.ann)) == plan  # nothing stored
    assert squad.changes(sq.db, sq.coach, sq.ann) == []


def test_a_long_run_on_a_trail_is_refused_naming_r3(sq: Squad) -> None:
    plan = squad.runner_plan(sq.db, sq.coach, sq.ann)
    long = next(s for s in plan.sessions if s.kind is Kind.LONG and s.date > TODAY)
    with pytest.raises(InputError, match="R3"):
        squad.replace_session(sq.db, sq.coach, sq.ann, long.date, "long", "trail", "hills!")
    with pytest.raises(InputError, match="kind"):
        squad.replace_session(sq.db, sq.coach, sq.ann, long.date, "hill_repeats", "road", "x")


@BOTH_STORES
def test_a_change_keeps_the_rules_and_records_who_and_why(sq: Squad) -> None:
    plan = squad.runner_plan(sq.db, sq.coach, sq.ann)
    w, road = next(
        (w, s)
        for w in plan.weeks[4:]
        for s in w.sessions
        if s.surface is Surface.ROAD and s.kind in (Kind.EASY, Kind.RECOVERY)
    )
    busy = {x.date for x in w.sessions}
    free = next(w.start + timedelta(d) for d in range(7) if w.start + timedelta(d) not in busy)
    after = squad.move_session(sq.db, sq.coach, sq.ann, road.date, free, "club run that day")
    assert new_breaks(plan, after) == ()
    moved = after.sessions_on(free)[0]
    assert moved.title == road.title and not after.sessions_on(road.date)
    assert moved.reasons[-1].rule == COACH_RULE
    assert moved.reasons[-1].text == "Changed by coach Carla: club run that day"
    # The runner's own plan is the changed one; Ben's is untouched.
    assert plans.current(sq.db.for_user(sq.ann)).sessions_on(free)[0].title == road.title
    assert not any(
        r.rule == COACH_RULE
        for s in plans.current(sq.db.for_user(sq.ben)).sessions
        for r in s.reasons
    )
    with pytest.raises(InputError, match="R1"):  # 30 min: the week's trail share tops R1
        squad.replace_session(
            sq.db, sq.coach, sq.ann, free, "recovery", "road", "tired legs", minutes=30
        )
    done = squad.replace_session(sq.db, sq.coach, sq.ann, free, "recovery", "road", "tired legs")
    assert done.sessions_on(free)[0].kind is Kind.RECOVERY
    assert done.sessions_on(free)[0].duration_min == pytest.approx(road.duration_min)
    log = squad.changes(sq.db, sq.coach, sq.ann)
    assert [c.why for c in log] == ["tired legs", "club run that day"]
    assert all(c.author.login == "carla" for c in log)
    assert "moved" in log[1].what and free.isoformat() in log[1].what
    assert squad.my_changes(sq.db.for_user(sq.ann)) == log
    assert squad.changes(sq.db, sq.coach, sq.ben) == []
    with pytest.raises(InputError, match="why"):
        squad.move_session(sq.db, sq.coach, sq.ann, free, road.date, "  ")


def test_changing_the_cap_remakes_the_plan_by_the_engine(sq: Squad) -> None:
    before = squad.runner_plan(sq.db, sq.coach, sq.ben)
    with pytest.raises(InputError, match="R2"):  # too low for a weekly trail run
        squad.change_profile(sq.db, sq.coach, sq.ben, ProfileFlags(trail_cap="0.1"), "knee", TODAY)
    after = squad.change_profile(
        sq.db, sq.coach, sq.ben, ProfileFlags(trail_cap="0.25", days=5), "knee", TODAY
    )
    assert after.athlete.trail_cap == pytest.approx(0.25)
    assert after.athlete.days_per_week == 5
    assert rule_breaks(after) == ()
    for w in after.weeks:
        sm = w.summary
        assert sm.trail_min <= 0.25 * sm.total_min + 0.5
    ahead = [s for s in after.sessions if s.date >= TODAY]
    past = [s for s in after.sessions if s.date < TODAY]
    assert ahead and all(s.reasons[-1].text == "Changed by coach Carla: knee" for s in ahead)
    assert past == [s for s in before.sessions if s.date < TODAY]  # the past is kept
    assert "trail cap 20% -> 25%" in squad.changes(sq.db, sq.coach, sq.ben)[0].what
    with pytest.raises(InputError, match=r"trail.cap"):
        squad.change_profile(sq.db, sq.coach, sq.ben, ProfileFlags(trail_cap="0.5"), "x", TODAY)


def test_notes_reach_the_runner_and_no_one_else(sq: Squad) -> None:
    plan = squad.runner_plan(sq.db, sq.coach, sq.ben)
    day = next(s.date for s in plan.sessions if s.date > TODAY)
    note = squad.add_note(sq.db, sq.coach, sq.ben, day, "Run it with the club.")
    assert note.author.display_name == "Carla"
    assert [n.text for n in squad.notes_on(sq.db.for_user(sq.ben), day)] == [
        "Run it with the club."
    ]
    assert squad.notes_on(sq.db.for_user(sq.ann), day) == []
    rest = next(
        plan.start + timedelta(d)
        for d in range(7, 60)
        if not plan.sessions_on(plan.start + timedelta(d))
    )
    with pytest.raises(NotFoundError, match="rest day"):
        squad.add_note(sq.db, sq.coach, sq.ben, rest, "x")
    with pytest.raises(InputError, match="empty"):
        squad.add_note(sq.db, sq.coach, sq.ben, day, "   ")


def test_invitations(sq: Squad) -> None:
    with pytest.raises(InputError, match="already linked"):
        squad.invite(sq.db, sq.coach, "ben")
    with pytest.raises(InputError, match="not a coach"):
        squad.invite(sq.db, sq.ben, "sam")
    with pytest.raises(NotFoundError, match="nobody"):
        squad.invite(sq.db, sq.coach, "nobody")
    link = squad.invite(sq.db, sq.stranger, "otto")
    assert (link.coach.login, link.runner.login, link.status) == ("otto", "sam", "invited")
    with pytest.raises(NotFoundError):  # the one who invited cannot accept for the other
        squad.answer(sq.db, sq.stranger, None, accept=True)
    assert squad.answer(sq.db, sq.other_coach, None, accept=False).status == "declined"
    with pytest.raises(NotFoundError):
        squad.runner_plan(sq.db, sq.other_coach, sq.stranger)
    again = squad.invite(sq.db, sq.other_coach, "sam")  # declined: may be invited again
    assert squad.answer(sq.db, sq.stranger, "otto", accept=True).status == "active"
    assert again.status == "invited"
    assert squad.runner_plan(sq.db, sq.other_coach, sq.stranger) is not None
    # A runner without a plan or a log yet: a row with nothing to judge, no error.
    from support.squad import add_user

    add_user(sq.db, "dora")
    squad.invite(sq.db, sq.coach, "dora")
    assert squad.waiting(sq.db, sq.coach) == []
    squad.answer(sq.db, add_user_id(sq, "dora"), None, accept=True)
    dora = next(r for r in squad.squad(sq.db, sq.coach, TODAY) if r.runner.login == "dora")
    assert dora.plan is None and dora.week.planned_min is None and dora.week.load == 0
    assert dora.week.r4.value == "not started" and dora.week.flags == ()


def add_user_id(sq: Squad, login: str) -> int:
    return squad.user_by_login(sq.db, login).id


def test_a_shared_trail_joins_each_runners_library(
    sq: Squad, trail_library: dict[str, int]
) -> None:
    # trail_library stored the trails as the local user (Ann): Carla cannot share Ann's.
    from trailmix.storage.repo import Trails

    tid = trail_library["dirt"]
    with pytest.raises(NotFoundError):
        squad.share_trail(sq.db, sq.coach, tid)  # not Carla's trail
    assert Trails(sq.db.for_user(sq.ann)).get(str(tid)).name == "Riverside dirt loop"
    mine = squad.library(sq.db, sq.ben)
    assert tid not in {t.id for t in mine}
    # A coach shares the coach's own trails: a copy stored as Carla's.
    carla_trail = _copy_trail(sq, tid)
    assert squad.share_trail(sq.db, sq.coach, carla_trail) == [carla_trail]
    ben_lib = {t.id: t for t in squad.library(sq.db, sq.ben)}
    assert carla_trail in ben_lib and not ben_lib[carla_trail].hiked
    assert carla_trail not in {t.id for t in squad.library(sq.db, sq.stranger)}
    after = squad.change_profile(
        sq.db, sq.coach, sq.ben, ProfileFlags(), "use the club hill", TODAY, [carla_trail]
    )
    used = {s.trail.id for s in after.sessions if s.trail and s.date >= TODAY}
    assert used == {carla_trail}
    # Ben's own "make the plan again" uses the squad's trail too; Sam's (no coach) does not.
    mine_again = plans.remake(sq.db.for_user(sq.ben), TODAY).plan
    assert carla_trail in {s.trail.id for s in mine_again.sessions if s.trail}
    sams = plans.remake(sq.db.for_user(sq.stranger), TODAY).plan
    assert carla_trail not in {s.trail.id for s in sams.sessions if s.trail}
    squad.share_trail(sq.db, sq.coach, carla_trail, shared=False)
    assert carla_trail not in {t.id for t in squad.library(sq.db, sq.ben)}


def _copy_trail(sq: Squad, tid: int) -> int:
    from trailmix.storage.repo import Trails

    src = Trails(sq.db.for_user(sq.ann))
    rec = src.get(str(tid))
    return (
        Trails(sq.db.for_user(sq.coach))
        .add(
            name=f"Club {rec.name}",
            category=rec.category,
            length_km=rec.length_km,
            gain_m=rec.gain_m,
            loss_m=rec.loss_m,
            declared_surface=None,
            declared_technical=None,
            analysis=rec.analysis,
            file_name=None,
            file_bytes=None,
        )
        .id
    )


def test_rule_checks_see_nothing_new_in_an_unchanged_plan(sq: Squad) -> None:
    plan = squad.runner_plan(sq.db, sq.coach, sq.ann)
    assert new_breaks(plan, plan) == ()
    sessions = list(plan.sessions)
    i = next(k for k, s in enumerate(sessions) if s.kind is Kind.LONG)
    bad = replace(sessions[i], surface=Surface.TRAIL)
    from trailmix.domain.plan.edits import regroup

    broken = new_breaks(plan, regroup(plan, [*sessions[:i], bad, *sessions[i + 1 :]]))
    assert any(r.rule == "R3" for r in broken)
    assert plan.start == START


def test_the_coach_commands(sq: Squad, cli: Cli) -> None:
    from trailmix.app.squad_json import squad_row_json

    r = cli("coach", "squad", "--as", "carla", "--format", "json")
    assert r.exit_code == 0, r.output
    assert r.json() == [squad_row_json(x) for x in squad.squad(sq.db, sq.coach, TODAY)]
    table = cli("coach", "squad", "--as", "carla")
    assert "Ben" in table.output and "R2" in table.output
    assert cli("coach", "squad", "--format", "json").json() == []  # the local runner coaches no one
    r = cli("coach", "invite", "sam", "--as", "otto", "--format", "json")
    assert r.exit_code == 0 and r.json()["status"] == "invited"
    r = cli("coach", "accept", "--as", "sam")
    assert r.exit_code == 0 and "active" in r.output
    bad = cli("coach", "invite", "nobody", "--as", "carla")
    assert bad.exit_code == 2 and "nobody" in bad.output and "Traceback" not in bad.output
    assert cli("coach", "squad", "--as", "ghost").exit_code == 2


def test_a_change_that_cannot_be_recorded_leaves_the_plan_as_it_was(
    sq: Squad, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trailmix.storage.squads import PlanChanges

    plan = squad.runner_plan(sq.db, sq.coach, sq.ann)
    w = plan.weeks[5]
    easy = next(s for s in w.sessions if s.surface is Surface.ROAD and s.kind is not Kind.LONG)
    to = next(
        w.start + timedelta(d) for d in range(7) if not plan.sessions_on(w.start + timedelta(d))
    )

    def broken(*_: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(PlanChanges, "add", broken)
    with pytest.raises(RuntimeError):
        squad.move_session(sq.db, sq.coach, sq.ann, easy.date, to, "x")
    monkeypatch.undo()
    assert plans.current(sq.db.for_user(sq.ann)) == plan
    assert squad.changes(sq.db, sq.coach, sq.ann) == []
