"""Loads what a new plan offers to carry over: last year's unfinished actions and the targets
of the new framework they can aim at (a fixed number of queries; the rule is `carryover`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext

from ita.models import Division, Indicator, Item, Question
from plans import carryover
from plans.models import Action, Plan

Choices = list[tuple[str, str]]


@dataclass(frozen=True)
class CarryOffer:
    """An unfinished action of the previous plan, offered to the new plan.

    `match` is its target's key in the new framework, or None when the form must ask.
    """

    action: Action
    match: str | None

    @property
    def code(self) -> str:
        """What the old action aimed at, as people write it: "o27", "i3" or "10"."""
        target = target_of(self.action)
        return target.item_code or target.question_code or str(target.indicator_number)


@dataclass(frozen=True)
class CarryOffers:
    previous: Plan | None
    offers: list[CarryOffer]
    targets: Choices  # (key, label) of every target of the new framework

    @property
    def proposal_keys(self) -> set[str]:
        """Drafted proposals (`DraftAction.key`, "6" or "9-o10") whose target an offer shares."""
        keys = set()
        for offer in self.offers:
            if offer.match is None:
                continue
            kind, value = carryover.parse_target_key(offer.match)
            number = offer.action.indicator.number
            keys.add(str(number) if kind == carryover.INDICATOR else f"{number}-{value}")
        return keys


def previous_plan(plan: Plan) -> Plan | None:
    return (
        Plan.objects.filter(organisation_id=plan.organisation_id, fiscal_year=plan.fiscal_year - 1)
        .select_related("assessment__framework")
        .first()
    )


def framework_targets(framework_id: int) -> tuple[carryover.FrameworkTargets, Choices]:
    """The targets of a framework for matching, and as labelled choices (3 queries)."""
    indicators = list(Indicator.objects.filter(framework_id=framework_id).order_by("number"))
    questions = list(
        Question.objects.filter(indicator__framework_id=framework_id)
        .select_related("indicator")
        .order_by("indicator__number", "order", "code")
    )
    items = list(
        Item.objects.filter(indicator__framework_id=framework_id)
        .select_related("indicator")
        .order_by("indicator__number", "order", "code")
    )
    choices: Choices = []
    for indicator in indicators:
        choices.append(
            (
                carryover.target_key(carryover.INDICATOR, indicator.number),
                gettext("Indicator %(number)s %(name)s as a whole (no item)")
                % {"number": indicator.number, "name": indicator.name_th},
            )
        )
        choices += [
            (carryover.target_key(carryover.QUESTION, q.code), f"{indicator.number} · {q.code}")
            for q in questions
            if q.indicator_id == indicator.pk
        ]
        choices += [
            (carryover.target_key(carryover.ITEM, i.code), f"{indicator.number} · {i}")
            for i in items
            if i.indicator_id == indicator.pk
        ]
    targets = carryover.FrameworkTargets(
        indicators=frozenset(i.number for i in indicators),
        questions={q.code: q.indicator.number for q in questions},
        items={i.code: i.indicator.number for i in items},
    )
    return targets, choices


def target_of(action: Action) -> carryover.Target:
    return carryover.Target(
        indicator_number=action.indicator.number,
        question_code=action.question.code if action.question_id else "",
        item_code=action.item.code if action.item_id else "",
    )


def carry_offers(plan: Plan) -> CarryOffers:
    """The previous year's unfinished actions with their targets in this plan's framework.

    Six queries whatever the number of actions or years: the previous plan, its actions,
    their divisions, and the new framework's indicators, questions and items.
    """
    previous = previous_plan(plan)
    if previous is None:
        return CarryOffers(previous=None, offers=[], targets=[])
    actions = list(
        Action.objects.filter(plan=previous)
        .select_related("indicator", "question", "item")
        .prefetch_related(Prefetch("divisions", queryset=Division.objects.order_by("order")))
        .annotate(carried=Exists(Action.objects.filter(continued_from=OuterRef("pk"))))
        .order_by("order", "indicator__number", "pk")
    )
    by_pk = {a.pk: a for a in actions}
    candidates = carryover.carry_candidates(
        carryover.PreviousAction(
            pk=a.pk, status=a.status, target=target_of(a), carried=bool(a.carried)
        )
        for a in actions
    )
    if not candidates:
        return CarryOffers(previous=previous, offers=[], targets=[])
    targets, choices = framework_targets(plan.assessment.framework_id)
    offers = [
        CarryOffer(action=by_pk[c.pk], match=carryover.target_match(c.target, targets))
        for c in candidates
    ]
    return CarryOffers(previous=previous, offers=offers, targets=choices)
