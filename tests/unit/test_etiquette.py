"""Scoring, self-checks and supervisor inspections (DOMAIN §4-§6), on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from deskconsole.models import EtiquetteCheck
from deskconsole.services import etiquette
from deskconsole.services.errors import DeskError, NotAllowed
from deskconsole.services.etiquette import Score, points, score


@pytest.fixture(scope="module")
def checklist():
    from deskconsole.paths import data_file

    return etiquette.read_checklist(data_file("etiquette_checklist.toml"))


def all_pass(items, value):
    return {i.id: value for i in items}


# -- scoring math -------------------------------------------------------------------------
def test_pass_is_one_of_one_fail_zero_of_one_and_na_counts_for_nothing():
    assert points("pass") == (1, 1) and points("fail") == (0, 1) and points("na") == (0, 0)


def test_zero_to_two_scores_count_out_of_two():
    assert [points(v) for v in ("0", "1", "2")] == [(0, 2), (1, 2), (2, 2)]


def test_score_sums_per_element_and_in_total_leaving_na_out_of_the_maximum():
    sc = score({"a1": "2", "a2": "1", "b1": "0", "b2": "na", "e1": "2"},
               {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "e1": "E"})
    assert (sc.total, sc.maximum) == (5, 8)
    assert sc.by_element == {"A": (3, 4), "B": (0, 2), "E": (2, 2)}
    assert sc.element_percent("A") == 75.0 and sc.element_percent("C") is None
    assert Score.percent(5, 8) == 62.5


# -- self-check ---------------------------------------------------------------------------
def test_clean_self_check_is_saved_with_the_checklist_version(store, actor, checklist):
    items = checklist.self_items()
    check_id = store.write(lambda s: etiquette.save_self_check(s, actor, checklist, all_pass(items, "pass")))
    with store.read() as s:
        check = s.get(EtiquetteCheck, check_id)
        assert (check.kind, check.operator_id, check.shift_id) == ("self", actor.operator_id, actor.shift_id)
        assert check.checklist_version == checklist.version
        assert (check.score, check.max_score, check.skipped) == (len(items), len(items), False)
        assert etiquette.has_self_check(s, actor.shift_id)
        assert len(etiquette.check_results(s, check_id)) == len(items)


def test_self_check_with_an_unanswered_item_is_refused_at_that_item(store, actor, checklist):
    items = checklist.self_items()
    results = all_pass(items, "pass")
    del results[items[3].id]
    with pytest.raises(DeskError) as exc:
        store.write(lambda s: etiquette.save_self_check(s, actor, checklist, results))
    assert exc.value.key == "etiquette.error.unanswered" and exc.value.field == f"item-{items[3].id}"
    with store.read() as s:
        assert not etiquette.has_self_check(s, actor.shift_id)


def test_a_skipped_self_check_is_recorded_and_counts_as_offered(store, actor, checklist):
    store.write(lambda s: etiquette.skip_self_check(s, actor, checklist))
    with store.read() as s:
        assert etiquette.has_self_check(s, actor.shift_id)
        [summary] = etiquette.history(s, actor.operator_id)
        assert summary.skipped and summary.kind == "self"


# -- inspections --------------------------------------------------------------------------
def inspect(store, supervisor, checklist, subject_id, pin="135790", value="2", kind="daily", **kw):
    results = all_pass(checklist.inspection_items(), value)
    results.update(kw.pop("override", {}))
    return etiquette.sign_inspection(store, supervisor, checklist, pin=pin, kind=kind,
                                     operator_id=subject_id, results=results, **kw)


def test_only_a_supervisor_may_inspect(store, actor, make_actor, checklist):
    other = make_actor(store, staff_no="102", name="张伟")
    with pytest.raises(NotAllowed):
        inspect(store, actor, checklist, other.operator_id, pin="2468")


def test_a_supervisor_cannot_inspect_themselves(store, supervisor, checklist):
    with pytest.raises(DeskError) as exc:
        inspect(store, supervisor, checklist, supervisor.operator_id)
    assert exc.value.key == "etiquette.error.self_inspection"


def test_wrong_pin_does_not_sign_and_nothing_is_saved(store, actor, supervisor, checklist):
    with pytest.raises(DeskError) as exc:
        inspect(store, supervisor, checklist, actor.operator_id, pin="0000")
    assert exc.value.field == "pin"
    with store.read() as s:
        assert etiquette.history(s, actor.operator_id) == []


def test_signed_inspection_scores_per_element_and_waits_unseen_for_the_operator(store, actor, supervisor, checklist):
    items = checklist.inspection_items()
    a_items = [i for i in items if i.element == "A"]
    override = {a_items[0].id: "0", a_items[1].id: "1", a_items[2].id: "na"}
    check_id = inspect(store, supervisor, checklist, actor.operator_id, override=override,
                       comments="微笑很好;电话第四声才接", notes={a_items[0].id: "没有起身"})
    with store.read() as s:
        check = s.get(EtiquetteCheck, check_id)
        assert check.inspector_id == supervisor.operator_id and check.signed_at == supervisor.clock.now()
        full = 2 * (len(items) - 1)
        assert (check.score, check.max_score) == (full - 3, full)
        [summary] = etiquette.unseen(s, actor.operator_id)
        assert summary.inspector_name == "王芳" and summary.comments == "微笑很好;电话第四声才接"
        assert summary.by_element["A"] == (2 * (len(a_items) - 1) - 3, 2 * (len(a_items) - 1))
        notes = {r.item_id: r.note for r in etiquette.check_results(s, check_id)}
        assert notes[a_items[0].id] == "没有起身"


def test_the_history_counts_results_in_the_store_without_loading_a_row_each(store, actor, supervisor, checklist):
    """F5 shows an operator's last 50 checks, ~1,400 results: counted by the store, not each
    loaded as an object (16 -> 3 ms on five busy years)."""
    from sqlalchemy import event

    from deskconsole.models import EtiquetteResult

    inspect(store, supervisor, checklist, actor.operator_id)
    loaded = []

    def note(target, context):
        loaded.append(target)

    event.listen(EtiquetteResult, "load", note)
    try:
        with store.read() as s:
            [summary] = etiquette.history(s, actor.operator_id)
    finally:
        event.remove(EtiquetteResult, "load", note)
    assert loaded == [] and summary.by_element["A"][1] > 2


def test_only_the_inspected_operator_marks_results_seen(store, actor, supervisor, checklist):
    check_id = inspect(store, supervisor, checklist, actor.operator_id)
    assert store.write(lambda s: etiquette.mark_seen(s, supervisor, [check_id])) == 0
    assert store.write(lambda s: etiquette.mark_seen(s, actor, [check_id])) == 1
    with store.read() as s:
        assert etiquette.unseen(s, actor.operator_id) == []


def test_inspection_with_a_score_outside_the_scale_is_refused(store, actor, supervisor, checklist):
    first = checklist.inspection_items()[0].id
    with pytest.raises(DeskError) as exc:
        inspect(store, supervisor, checklist, actor.operator_id, override={first: "pass"})
    assert exc.value.field == f"item-{first}"


def test_trend_per_element_runs_oldest_first(store, actor, supervisor, checklist):
    clock = supervisor.clock
    inspect(store, supervisor, checklist, actor.operator_id, value="1")
    clock.advance(86400)
    inspect(store, supervisor, checklist, actor.operator_id, value="2", kind="weekly")
    with store.read() as s:
        tr = etiquette.trend(etiquette.history(s, actor.operator_id))
    assert tr["A"] == [50.0, 100.0] and tr["E"] == [50.0, 100.0]


def test_figures_for_the_summary_count_self_checks_and_average_inspections(store, actor, supervisor, make_actor, checklist):
    clock = supervisor.clock
    start = clock.now()
    items = checklist.self_items()
    store.write(lambda s: etiquette.save_self_check(s, actor, checklist, all_pass(items, "pass")))
    failing = all_pass(items, "pass") | {items[0].id: "fail"}
    other = make_actor(store, staff_no="102", name="张伟")
    store.write(lambda s: etiquette.save_self_check(s, other, checklist, failing))
    third = make_actor(store, staff_no="103", name="赵敏")
    store.write(lambda s: etiquette.skip_self_check(s, third, checklist))
    inspect(store, supervisor, checklist, actor.operator_id, value="2")
    inspect(store, supervisor, checklist, other.operator_id, value="1")
    clock.advance(60)
    with store.read() as s:
        figures = etiquette.etiquette_figures(s, start, clock.now())
        mine = etiquette.etiquette_figures(s, start, clock.now(), operator_id=actor.operator_id)
        later = etiquette.etiquette_figures(s, clock.now(), clock.now() + timedelta(hours=1))
    assert figures["self_checks_done"] == 2 and figures["self_checks_skipped"] == 1
    assert figures["self_checks_passed"] == 1 and figures["inspections"] == 2
    assert figures["inspection_average"] == 75.0 and figures["element_average"]["B"] == 75.0
    assert mine["inspections"] == 1 and mine["inspection_average"] == 100.0
    assert later["inspections"] == 0 and later["inspection_average"] is None


def test_an_inspection_belongs_to_the_inspected_operators_shift_and_desk_not_the_inspectors(
        store, actor, make_actor, checklist, clock):
    from deskconsole.services.summary import Period, summarize

    supervisor = make_actor(store, staff_no="001", role="supervisor", name="王芳", pin="135790", desk="Office")
    check_id = inspect(store, supervisor, checklist, actor.operator_id)
    with store.read() as s:
        check = s.get(EtiquetteCheck, check_id)
        assert (check.shift_id, check.desk_id, check.inspector_id) == (
            actor.shift_id, actor.desk_id, supervisor.operator_id)
        period = Period.for_shift(s, actor.shift_id, "Asia/Shanghai", clock.now())
        assert summarize(s, period).etiquette.inspections == 1
    with pytest.raises(DeskError) as err:
        inspect(store, supervisor, checklist, actor.operator_id, shift_id=supervisor.shift_id)
    assert err.value.key == "etiquette.error.not_their_shift"
