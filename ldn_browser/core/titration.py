"""The titration calendar's schedule: validated inputs and one dated row per day (no Qt).

Doses are kept as :class:`~decimal.Decimal` so 1.5 + 1.5 + 1.5 is exactly 4.5. The prescriber's
values are checked against the KB's low-dose range (``patient.titration.limits``): a standard dose is
refused, and the steps must land on the target. A dose outside the low-dose definition (a 45 mg typo
for 4.5 mg) is refused with a :class:`DoseRangeError` unless the prescriber confirms it
(``allow_outside_range``); the plan then carries the warnings, which the calendar prints on page 1.
Every refusal is a :class:`TitrationError` whose message names the field.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ldn_browser.core.patient import DoseLimits, TitrationDefaults

MAX_DAYS = 366
"""The longest calendar printed (a year)."""
DAYS_AT_TARGET = 14
"""Rows printed after the target dose is reached (a layout choice, not a clinical one)."""
_DOSE_PLACES = Decimal("0.01")


class TitrationError(ValueError):
    """A value the calendar cannot use; ``field`` names it ("start", "dose", "step", "every", "target", "days")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class DoseRangeError(TitrationError):
    """A start or target dose outside the low-dose range, not confirmed; ``warnings`` says which and why."""

    def __init__(self, field: str, warnings: tuple[str, ...]) -> None:
        super().__init__(field, "; ".join(warnings))
        self.warnings = warnings


@dataclass(frozen=True)
class TitrationPlan:
    """What the prescriber asked for (validated by :func:`make_plan`)."""

    start: dt.date
    dose_mg: Decimal
    step_mg: Decimal
    every_days: int
    target_mg: Decimal
    time_of_day: str
    days: int
    warnings: tuple[str, ...] = ()
    """Doses outside the low-dose range that the prescriber confirmed (empty unless ``allow_outside_range``)."""


@dataclass(frozen=True)
class CalendarDay:
    """One row of the calendar."""

    day: int
    date: dt.date
    dose_mg: Decimal
    changed: bool
    """The dose is new on this day (the first day, and each step)."""


def format_mg(value: Decimal) -> str:
    """ "1.5 mg", "3 mg", "4.25 mg": no trailing zeros."""
    text = format(value.quantize(_DOSE_PLACES).normalize(), "f")
    return f"{text} mg"


def parse_date(value: str, field: str = "start") -> dt.date:
    """An ISO date (YYYY-MM-DD) that exists; the message says why one does not.

    Raises:
        TitrationError: "2027-02-30 is not a date: February 2027 has 28 days".
    """
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", value)
    if m is None:
        raise TitrationError(field, f"start date {value!r} is not in the form YYYY-MM-DD (e.g. 2027-01-04)")
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise TitrationError(field, f"start date {value} is not a date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = dt.date(year, month, 1).strftime("%B")
        raise TitrationError(field, f"start date {value} is not a date: {name} {year} has {last} days")
    return dt.date(year, month, day)


def parse_mg(value: str | float | Decimal, field: str) -> Decimal:
    """A dose in mg from text or a number (at most two decimals).

    Raises:
        TitrationError: For text that is not a number, or more than two decimals.
    """
    try:
        amount = Decimal(str(value).strip().removesuffix("mg").strip())
    except InvalidOperation:
        raise TitrationError(field, f"{_LABELS[field]} {value!r} is not a number of mg (e.g. 1.5)") from None
    if not amount.is_finite():
        raise TitrationError(field, f"{_LABELS[field]} {value!r} is not a number of mg (e.g. 1.5)")
    if amount != amount.quantize(_DOSE_PLACES):
        raise TitrationError(field, f"{_LABELS[field]} {value} mg has more than two decimals")
    return amount


_LABELS = {"dose": "start dose", "step": "step", "target": "target dose", "every": "interval", "days": "days"}


def make_plan(
    limits: DoseLimits,
    *,
    start: dt.date | str,
    dose: str | float | Decimal,
    step: str | float | Decimal,
    every: int,
    target: str | float | Decimal,
    time_of_day: str,
    days: int | None = None,
    allow_outside_range: bool = False,
) -> TitrationPlan:
    """Check the prescriber's values and return the plan; a dose outside the low-dose range needs confirming.

    Args:
        limits: The KB's dose limits (``kb.patient.titration.limits``).
        start: First day (a date, or text YYYY-MM-DD).
        dose: Start dose in mg.
        step: Increase at each step in mg (0: no steps; then start and target must be equal).
        every: Days between steps.
        target: The dose to reach and stay on.
        time_of_day: When to take it, printed on the calendar ("at night").
        days: Rows to print (default: until the target, then two more weeks).
        allow_outside_range: The prescriber confirmed a start or target dose outside the low-dose range;
            the plan then carries the warnings.

    Raises:
        DoseRangeError: A dose outside the low-dose range, not confirmed (checked after every other value).
        TitrationError: The first value that cannot be used, with a message naming it.
    """
    first = parse_date(start) if isinstance(start, str) else start
    start_mg, step_mg, target_mg = parse_mg(dose, "dose"), parse_mg(step, "step"), parse_mg(target, "target")
    low, high = Decimal(str(limits.low_min_mg)), Decimal(str(limits.low_max_mg))
    standard = Decimal(str(limits.standard_mg))
    for field, amount in (("dose", start_mg), ("target", target_mg)):
        if amount <= 0:
            raise TitrationError(field, f"{_LABELS[field]} must be more than 0 mg")
        if amount >= standard:
            raise TitrationError(
                field,
                f"{_LABELS[field]} {format_mg(amount)} is a standard dose, not a low dose "
                f"(standard naltrexone is {format_mg(standard)}); this calendar is for LDN",
            )
    if step_mg < 0:
        raise TitrationError("step", "step must be 0 mg or more (the calendar only raises the dose)")
    if not 1 <= every <= 90:
        raise TitrationError("every", f"interval must be 1 to 90 days, got {every}")
    if target_mg < start_mg:
        raise TitrationError(
            "target", f"target dose {format_mg(target_mg)} is below the start dose {format_mg(start_mg)}"
        )
    rise = target_mg - start_mg
    if rise and not step_mg:
        raise TitrationError(
            "step", f"step is 0 mg, so {format_mg(start_mg)} never reaches the target {format_mg(target_mg)}"
        )
    if step_mg and not rise:
        raise TitrationError(
            "step", f"start and target are both {format_mg(start_mg)}: set the step to 0 mg (no steps)"
        )
    if step_mg and rise % step_mg:
        reached = [start_mg + step_mg * k for k in range(1, int(rise // step_mg) + 2)]
        shown = ", ".join(format_mg(r) for r in reached) if len(reached) <= 5 else (
            f"{format_mg(reached[0])}, … {', '.join(format_mg(r) for r in reached[-2:])}"
        )
        raise TitrationError(
            "step",
            f"steps of {format_mg(step_mg)} from {format_mg(start_mg)} go {shown} and never land on the target "
            f"{format_mg(target_mg)}; choose a step that divides {format_mg(rise)}",
        )
    if not time_of_day.strip():
        raise TitrationError("time", "say when to take it (e.g. at night)")
    steps = int(rise // step_mg) if step_mg else 0
    needed = steps * every + 1
    if days is None:
        days = needed + DAYS_AT_TARGET - 1
    if days < needed:
        raise TitrationError("days", f"{days} days is too short: the target is reached on day {needed}")
    if days > MAX_DAYS:
        raise TitrationError("days", f"the calendar is at most {MAX_DAYS} days; this schedule needs {days}")
    span = f"{format_mg(low)} to {format_mg(high)}"
    warnings = [
        (
            field,
            f"{_LABELS[field]} {format_mg(amount)} is {word} the low-dose range of {span} a day",
        )
        for field, amount in (("dose", start_mg), ("target", target_mg))
        for word in (("below",) if amount < low else ("above",) if amount > high else ())
    ]
    if warnings and not allow_outside_range:
        raise DoseRangeError(warnings[0][0], tuple(w for _, w in warnings))
    return TitrationPlan(
        first, start_mg, step_mg, every, target_mg, time_of_day.strip(), days, tuple(w for _, w in warnings)
    )


def default_plan(defaults: TitrationDefaults, limits: DoseLimits, start: dt.date) -> TitrationPlan:
    """The plan the dialog starts from: the KB's defaults, starting on *start*."""
    return make_plan(
        limits,
        start=start,
        dose=defaults.start_mg,
        step=defaults.step_mg,
        every=defaults.interval_days,
        target=defaults.target_mg,
        time_of_day=defaults.time_of_day,
    )


def calendar_days(plan: TitrationPlan) -> list[CalendarDay]:
    """One row per day: the date and the dose that day (raised by one step every ``every_days`` until the target)."""
    rows: list[CalendarDay] = []
    previous: Decimal | None = None
    for index in range(plan.days):
        steps_done = index // plan.every_days if plan.step_mg else 0
        dose = min(plan.dose_mg + plan.step_mg * steps_done, plan.target_mg)
        rows.append(CalendarDay(index + 1, plan.start + dt.timedelta(days=index), dose, dose != previous))
        previous = dose
    return rows
