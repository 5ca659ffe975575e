"""Alumni evaluation rules as pure functions: what a question may be, what an answer may be, the
reference period, the response rate, the reminder cap, and the summary statistics of the report
(RULES.md "People and ratios": Facilitator training, evaluation by questionnaire; seed 003)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django.utils.translation import gettext as _

NUMBER = "number"
CHOICE = "choice"
SCALE = "scale"
TEXT = "text"
KINDS = (NUMBER, CHOICE, SCALE, TEXT)

# The value of a choice that counts as "yes" for a figure asked as ya/tidak.
YES = "ya"
# The widest scale a respondent can sensibly tap through on a phone.
SCALE_MAX_POINTS = 11

# The kinds of question each recorded figure may be asked as (models.Figure). A share is asked as a
# percent (number); "modules delivered in order" as ya/tidak (a single choice with a "ya" option)
# or as a percent of the respondent's groups.
FIGURE_KINDS: dict[str, frozenset[str]] = {
    "caseload": frozenset({NUMBER}),
    "graduasi_mandiri": frozenset({NUMBER}),
    "p2k2_meetings_per_month": frozenset({NUMBER}),
    "attendance_rate": frozenset({NUMBER}),
    "modules_in_order": frozenset({NUMBER, CHOICE}),
    "applying_share": frozenset({NUMBER}),
}
# Figures Harapan records (the others are reported only).
RECORDED_FIGURES = frozenset(
    {"caseload", "graduasi_mandiri", "p2k2_meetings_per_month", "attendance_rate", "modules_in_order"}
)
# Figures that are percentages (0-100).
PERCENT_FIGURES = frozenset({"attendance_rate", "modules_in_order", "applying_share"})

_VALUE = re.compile(r"^[a-z0-9_-]{1,40}$")
TWO = Decimal("0.01")


@dataclass(frozen=True)
class QuestionSpec:
    """What a question accepts, as plain values (``from_question`` reads a SurveyQuestion)."""

    kind: str
    options: tuple[tuple[str, str], ...] = ()
    multiple: bool = False
    scale_min: int = 1
    scale_max: int = 5
    number_min: Decimal | None = None
    number_max: Decimal | None = None
    required: bool = True
    compares_with: str = ""

    @classmethod
    def from_question(cls, q: Any) -> QuestionSpec:
        return cls(
            kind=q.kind,
            options=tuple((str(o.get("value", "")), str(o.get("label", ""))) for o in (q.options or [])),
            multiple=bool(q.multiple),
            scale_min=int(q.scale_min),
            scale_max=int(q.scale_max),
            number_min=q.number_min,
            number_max=q.number_max,
            required=bool(q.required),
            compares_with=q.compares_with or "",
        )

    @property
    def values(self) -> list[str]:
        return [v for v, _label in self.options]


def question_violations(spec: QuestionSpec, raw_options: Any = None) -> list[str]:
    """Why a question cannot be kept. A choice has at least two options, each a short value
    (lower-case letters, digits, ``_`` or ``-``) with a label, no value twice; only a choice has
    options. A scale runs upwards over at most 11 points. A number's bounds are ordered. A question
    compared with a recorded figure is of a kind that figure can be asked as (``FIGURE_KINDS``); a
    ya/tidak figure is a single choice with a "ya" option."""
    out: list[str] = []
    if spec.kind not in KINDS:
        return [_("Jenis pertanyaan tidak dikenal: %(k)s") % {"k": spec.kind}]
    options = raw_options if raw_options is not None else [{"value": v, "label": lb} for v, lb in spec.options]
    if spec.kind == CHOICE:
        if not isinstance(options, list) or len(options) < 2:
            out.append(_("Pertanyaan pilihan memerlukan paling sedikit dua pilihan jawaban."))
        else:
            seen: set[str] = set()
            for o in options:
                value = str(o.get("value", "")) if isinstance(o, Mapping) else ""
                label = str(o.get("label", "")).strip() if isinstance(o, Mapping) else ""
                if not _VALUE.match(value):
                    out.append(_("Nilai pilihan tidak sah: %(v)r (huruf kecil, angka, _ atau -).") % {"v": value})
                elif value in seen:
                    out.append(_("Nilai pilihan ganda: %(v)s.") % {"v": value})
                if not label:
                    out.append(_("Setiap pilihan memerlukan label."))
                seen.add(value)
    elif options:
        out.append(_("Hanya pertanyaan pilihan yang mempunyai pilihan jawaban."))
    if spec.multiple and spec.kind != CHOICE:
        out.append(_("Hanya pertanyaan pilihan yang boleh dijawab lebih dari satu pilihan."))
    if spec.kind == SCALE:
        if spec.scale_min >= spec.scale_max:
            out.append(_("Skala terendah harus lebih kecil dari skala tertinggi."))
        elif spec.scale_max - spec.scale_min + 1 > SCALE_MAX_POINTS:
            out.append(_("Skala paling banyak %(n)d titik.") % {"n": SCALE_MAX_POINTS})
    low, high = spec.number_min, spec.number_max
    if spec.kind == NUMBER and low is not None and high is not None and low > high:
        out.append(_("Angka terkecil tidak boleh lebih besar dari angka terbesar."))
    if spec.compares_with:
        allowed = FIGURE_KINDS.get(spec.compares_with)
        if allowed is None:
            out.append(_("Data tercatat tidak dikenal: %(f)s") % {"f": spec.compares_with})
        elif spec.kind not in allowed:
            out.append(_("Pertanyaan ini tidak dapat dibandingkan dengan data tercatat tersebut (jenis tidak cocok)."))
        elif spec.kind == CHOICE and (spec.multiple or YES not in [str(o.get("value")) for o in options or []]):
            out.append(_("Pertanyaan ya/tidak yang dibandingkan memerlukan satu pilihan dengan nilai “ya”."))
    return out


@dataclass(frozen=True)
class ParsedAnswer:
    """An answer in the shape it is stored (models.Answer); ``empty`` clears it."""

    number: Decimal | None = None
    text: str = ""
    choices: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.number is None and not self.text and not self.choices


def _decimal(raw: str) -> Decimal | None:
    """A number as typed on a phone: "195", "50,09", "50.09", "1.142" (thousands) are all read."""
    text = raw.strip().replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_answer(spec: QuestionSpec, raw: str | Sequence[str], *, text_max: int) -> tuple[ParsedAnswer, list[str]]:
    """Read what a respondent entered for one question: the stored answer, or why it cannot be
    kept. An empty entry is a valid empty answer (it clears a saved one); whether a required
    question was answered is checked on submission (``missing_required``)."""
    values = [str(v) for v in raw] if not isinstance(raw, str) else [raw]
    values = [v.strip() for v in values if v is not None and str(v).strip() != ""]
    if not values:
        return ParsedAnswer(), []
    if spec.kind == TEXT:
        text = "\n".join(values)
        if len(text) > text_max:
            return ParsedAnswer(), [_("Jawaban paling panjang %(n)d huruf.") % {"n": text_max}]
        return ParsedAnswer(text=text), []
    if spec.kind == CHOICE:
        unknown = [v for v in values if v not in spec.values]
        if unknown:
            return ParsedAnswer(), [_("Pilihan tidak dikenal: %(v)s") % {"v": ", ".join(unknown)}]
        if spec.multiple:
            picked = tuple(v for v in spec.values if v in values)  # in the options' order, once each
            return ParsedAnswer(choices=picked), []
        if len(values) > 1:
            return ParsedAnswer(), [_("Pilih satu jawaban saja.")]
        return ParsedAnswer(text=values[0]), []
    if len(values) > 1:
        return ParsedAnswer(), [_("Isi satu angka saja.")]
    number = _decimal(values[0])
    if number is None:
        return ParsedAnswer(), [_("Isi dengan angka.")]
    if spec.kind == SCALE:
        if number != number.to_integral_value() or not spec.scale_min <= number <= spec.scale_max:
            return ParsedAnswer(), [_("Pilih angka %(a)d sampai %(b)d.") % {"a": spec.scale_min, "b": spec.scale_max}]
        return ParsedAnswer(number=number.quantize(Decimal(1))), []
    if spec.number_min is not None and number < spec.number_min:
        return ParsedAnswer(), [_("Angka paling kecil %(n)s.") % {"n": _plain(spec.number_min)}]
    if spec.number_max is not None and number > spec.number_max:
        return ParsedAnswer(), [_("Angka paling besar %(n)s.") % {"n": _plain(spec.number_max)}]
    if abs(number) >= Decimal("1e10"):
        return ParsedAnswer(), [_("Angka terlalu besar.")]
    return ParsedAnswer(number=number.quantize(TWO, rounding=ROUND_HALF_UP)), []


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def missing_required(required_ids: Iterable[int], answered_ids: Iterable[int]) -> list[int]:
    """The required questions not answered yet (a response cannot be submitted while any remain)."""
    answered = set(answered_ids)
    return [q for q in required_ids if q not in answered]


# --- Period, rate, reminders ------------------------------------------------------------------


def default_reference_period(opens_on: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The ``months`` whole calendar months before the month the survey opens."""
    end = opens_on.replace(day=1) - dt.timedelta(days=1)
    year, month = end.year, end.month - months + 1
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1), end


def period_months(start: dt.date, end: dt.date) -> Decimal:
    """The length of a period in months: each calendar month it touches counts by the share of its
    days inside the period, so whole months count exactly (1 June - 30 November is 6)."""
    if end < start:
        return Decimal(0)
    total = Decimal(0)
    day = start
    while day <= end:
        last = calendar.monthrange(day.year, day.month)[1]
        month_end = day.replace(day=last)
        inside = (min(end, month_end) - day).days + 1
        total += Decimal(inside) / Decimal(last)
        day = month_end + dt.timedelta(days=1)
    return total


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` in percent, two decimals; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO, rounding=ROUND_HALF_UP)


def response_rate(answered: int, invited: int) -> Decimal | None:
    """Share of the invited alumni who submitted their answers, in percent (seed 003: 718 of 1,142
    alumni answered, 62.87%)."""
    return percent(answered, invited)


def may_remind(
    *,
    submitted: bool,
    reminder_count: int,
    last_reminded_at: dt.datetime | None,
    now: dt.datetime,
    cap: int,
    min_days: int,
) -> bool:
    """A reminder goes to an alumnus who has not submitted, has had fewer than ``cap`` reminders,
    and was not reminded in the last ``min_days`` days."""
    if submitted or reminder_count >= cap:
        return False
    return last_reminded_at is None or now - last_reminded_at >= dt.timedelta(days=min_days)


def whatsapp_number(phone: str) -> str | None:
    """An Indonesian phone number in the international form WhatsApp links use ("62812..."):
    0812-3456-7890, +62 812 3456 7890 and 62812... all give 6281234567890; None when it is not one."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not digits.startswith("62") or not 10 <= len(digits) <= 15:
        return None
    return digits


def whatsapp_link(phone: str, text: str) -> str | None:
    """A wa.me link that opens a chat with ``phone`` and the message ``text`` filled in."""
    number = whatsapp_number(phone)
    if number is None:
        return None
    return f"https://wa.me/{number}?text={quote(text)}"


# --- Report statistics ----------------------------------------------------------------------


def figure_value(figure: str, kind: str, number: Decimal | None, text: str) -> Decimal | None:
    """The self-reported value of a figure from one answer: the number, or for a ya/tidak question
    100 for "ya" and 0 otherwise (so the mean is the share answering ya)."""
    if kind == CHOICE:
        if not text:
            return None
        return Decimal(100) if text == YES else Decimal(0)
    return number


@dataclass(frozen=True)
class Stats:
    n: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


def describe(values: Iterable[Decimal | int | float | None]) -> Stats:
    """Count, mean, median, minimum and maximum of the values given (None skipped), two decimals."""
    xs = sorted(Decimal(str(v)) for v in values if v is not None)
    if not xs:
        return Stats(0, None, None, None, None)
    n = len(xs)
    mid = n // 2
    median = xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2
    return Stats(
        n=n,
        mean=(sum(xs, Decimal(0)) / n).quantize(TWO, rounding=ROUND_HALF_UP),
        median=median.quantize(TWO, rounding=ROUND_HALF_UP),
        minimum=xs[0].quantize(TWO),
        maximum=xs[-1].quantize(TWO),
    )


@dataclass(frozen=True)
class Bin:
    label: str
    low: Decimal
    high: Decimal | None  # exclusive; None: open
    count: int = 0


@dataclass
class Distribution:
    bins: list[Bin] = field(default_factory=list)

    @property
    def counts(self) -> list[int]:
        return [b.count for b in self.bins]

    @property
    def labels(self) -> list[str]:
        return [b.label for b in self.bins]


def distribution(
    values: Iterable[Decimal | int | float | None],
    edges: Sequence[int | float],
    *,
    whole: bool = False,
    maximum: int | None = None,
) -> Distribution:
    """The values counted into bins starting at each of ``edges`` (ascending); the last bin is open
    and values below the first edge join the first bin. ``whole``: the values are counts, so a bin
    is labelled by its first and last whole number ("150–199"), otherwise "70–<80". A last bin that
    starts at ``maximum`` (100 for a percentage) holds that value alone and is labelled by it."""
    lows = [Decimal(str(e)) for e in edges]
    counts = [0] * len(lows)
    for v in values:
        if v is None or not lows:
            continue
        x = Decimal(str(v))
        counts[max([i for i, low in enumerate(lows) if x >= low] or [0])] += 1
    bins = []
    for i, low in enumerate(lows):
        high = lows[i + 1] if i + 1 < len(lows) else None
        if high is None:
            label = _plain(low) if maximum is not None and low == maximum else f"≥ {_plain(low)}"
        elif whole and high - low == 1:
            label = _plain(low)
        elif whole:
            label = f"{_plain(low)}–{_plain(high - 1)}"
        else:
            label = f"{_plain(low)}–<{_plain(high)}"
        bins.append(Bin(label=label, low=low, high=high, count=counts[i]))
    return Distribution(bins)


def difference(reported: Decimal | None, recorded: Decimal | None) -> Decimal | None:
    """Reported minus recorded (positive: the alumnus reported more than Harapan holds)."""
    if reported is None or recorded is None:
        return None
    return (Decimal(reported) - Decimal(recorded)).quantize(TWO, rounding=ROUND_HALF_UP)
