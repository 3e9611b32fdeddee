"""Loads what the "did it work?" rule compares: a plan's targets in its base year and the next.

A fixed number of queries per plan, whatever its number of measures. Indicators are matched
across years by number, questions and items by code, and only inside one framework family.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from ita.models import Assessment, IndicatorResult, ItemResult, QuestionScore
from plans.models import Action, Plan
from plans.outcomes import ActionOutcome, outcome_verdict, sort_for_supervisor

TWO_PLACES = Decimal("0.01")


def _mean(scores: list[Decimal]) -> Decimal | None:
    # EIT questions have one score per channel; both years are averaged the same way.
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TWO_PLACES)


def _later_assessment(plan: Plan) -> Assessment | None:
    base = plan.assessment
    return (
        Assessment.objects.select_related("framework")
        .filter(
            organisation_id=plan.organisation_id,
            framework__fiscal_year=base.framework.fiscal_year + 1,
        )
        .first()
    )


def plan_outcomes(plan: Plan, actions: Iterable[Action] | None = None) -> list[ActionOutcome]:
    """Every measure of `plan` with its verdict, done-but-fell first.

    `plan` needs its `assessment__framework` loaded; `actions` (with indicator, question and
    item loaded) saves the query for them when the caller already holds them.
    """
    if actions is None:
        actions = plan.actions.select_related("indicator", "question", "item").order_by(
            "order", "pk"
        )
    actions = list(actions)
    base = plan.assessment
    later = _later_assessment(plan)
    same_family = later is not None and later.framework.family == base.framework.family
    ids = [base.pk] + ([later.pk] if later else [])

    indicator: dict[tuple[int, int], Decimal | None] = {}
    question: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    item: dict[tuple[int, str], Decimal | None] = {}
    if actions:
        for aid, number, score in IndicatorResult.objects.filter(assessment_id__in=ids).values_list(
            "assessment_id", "indicator__number", "score"
        ):
            indicator[(aid, number)] = score
        codes = {a.question.code for a in actions if a.question_id}
        for aid, code, score in QuestionScore.objects.filter(
            assessment_id__in=ids, question__code__in=codes
        ).values_list("assessment_id", "question__code", "score"):
            question[(aid, code)].append(score)
        codes = {a.item.code for a in actions if a.item_id}
        for aid, code, score in ItemResult.objects.filter(
            assessment_id__in=ids, item__code__in=codes
        ).values_list("assessment_id", "item__code", "score"):
            item[(aid, code)] = score

    base_year = base.framework.fiscal_year
    outcomes = []
    for action in actions:
        if action.item_id:
            key, target = action.item.code, action.item.code
            base_score = item.get((base.pk, key))
            later_key = (later.pk, key) if later else None
            comparable = same_family and later_key in item
            later_score = item.get(later_key) if comparable else None
        elif action.question_id:
            key, target = action.question.code, action.question.code
            base_score = _mean(question.get((base.pk, key), []))
            later_key = (later.pk, key) if later else None
            comparable = same_family and later_key in question
            later_score = _mean(question[later_key]) if comparable else None
        else:
            number = action.indicator.number
            target = str(number)
            base_score = indicator.get((base.pk, number))
            later_key = (later.pk, number) if later else None
            comparable = same_family and later_key in indicator
            later_score = indicator.get(later_key) if comparable else None
        outcomes.append(
            ActionOutcome(
                action_id=action.pk,
                target=target,
                status=action.status,
                base_year=base_year,
                base=base_score,
                later_year=base_year + 1,
                later=later_score,
                verdict=outcome_verdict(
                    base=base_score,
                    later=later_score,
                    comparable=comparable,
                    later_published=later is not None,
                ),
            )
        )
    return sort_for_supervisor(outcomes)
