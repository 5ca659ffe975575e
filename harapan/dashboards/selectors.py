"""Reading a dashboard: who may see which, and the stored figures of an area and its children.

Scope (accounts.scope): a pendamping sees their own dashboard only (every region dashboard is a
404 for them, since a region's figures count other pendamping's families); kabupaten roles see
their kabupaten and below; Dinas Sosial provinsi their province and below; the ministry the nation;
a user with no active staff record, or a role that reaches no family data, has no dashboard.

A read is: the stale marks touching the area (refreshed first when small, ``services``), the
area's bookkeeping row, its figures, its children's key figures, and the names of the children:
a fixed handful of queries, whatever the number of families below. A kecamatan's pendamping (217
in the busiest kecamatan of the million-family seed) are listed a page at a time: their names are
read first, then the figures of the page's only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.accounts.scope import region_in_scope, staff_of
from harapan.conf import setting
from harapan.regions.models import Region
from harapan.registry.rules import Komponen

from .models import AreaKind, Figure, FigureArea
from .services import Freshness, ancestors, day_refresh_queue, kind_of, stale_refresh_for

# The figures a child row needs (the children table and its export).
CHILD_METRICS: tuple[str, ...] = (
    *(f"kpm_{s}" for s in ("calon", "aktif", "ditangguhkan", "non_eligible", "graduasi_alamiah", "graduasi_mandiri")),
    "kpm_didampingi",
    "kpm_berkomponen",
    "kpm_berkelompok",
    "pendamping",
    "pendamping_di_bawah_norma",
    "pendamping_di_atas_norma",
    "kelompok",
    "kelompok_sesi_inti",
    "kelompok_inti_tuntas",
    "pertemuan_terlaksana",
    "absen_hadir",
    "absen_izin",
    "absen_alpa",
    "komitmen_kpm",
    "komitmen_kpm_patuh",
    "sanksi_penangguhan",
    *(f"komponen_{k.value}" for k in Komponen),
    "dana_apbd_rp",
    "dana_pkh_rp",
    "bayar_kpm",
    "bayar_rp",
    "salur_kpm",
    "salur_rp",
    "graduasi_basis",
    "graduasi_mandiri",
    "graduasi_alamiah",
    "aduan",
    "aduan_terbuka",
    "rujukan",
    "rujukan_terbuka",
)


# --- Scope ------------------------------------------------------------------------------------------


def own_area(user: Any) -> str | None:
    """The area of the user's own dashboard: "p:<id>" for a pendamping, the nation ("") for the
    ministry, the working area for the others; None when the user has no dashboard."""
    staff = staff_of(user)
    if staff is None:
        return None
    if staff.role == Role.PENDAMPING:
        return f"p:{staff.pk}"
    if staff.role == Role.MINISTRY:
        return ""
    if staff.region_id and region_in_scope(user, str(staff.region_id)):
        return str(staff.region_id)
    return None


def may_see_region(user: Any, code: str) -> bool:
    """A region's dashboard: inside the user's working area, and never for a pendamping."""
    staff = staff_of(user)
    if staff is None or staff.role == Role.PENDAMPING:
        return False
    if code == "":
        return staff.role == Role.MINISTRY
    return region_in_scope(user, code)


def may_see_pendamping(user: Any, target: Staff) -> bool:
    """A pendamping's dashboard: the pendamping themselves, or staff whose area holds the
    pendamping's working area."""
    staff = staff_of(user)
    if staff is None or target.role != Role.PENDAMPING:
        return False
    if staff.role == Role.PENDAMPING:
        return staff.pk == target.pk
    return target.region_id is not None and region_in_scope(user, str(target.region_id))


def region_for(user: Any, code: str) -> Region | None:
    """The region of a dashboard the user may see (None: the nation), or 404."""
    if code and not may_see_region(user, code):
        raise Http404(_("Wilayah tidak ditemukan di wilayah kerja Anda."))
    if not code:
        if not may_see_region(user, ""):
            raise Http404(_("Wilayah tidak ditemukan di wilayah kerja Anda."))
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("Wilayah tidak ditemukan di wilayah kerja Anda."))
    return region


def pendamping_for(user: Any, pk: int) -> Staff:
    target = Staff.objects.select_related("region", "user").filter(pk=pk).first()
    if target is None or not may_see_pendamping(user, target):
        raise Http404(_("Pendamping tidak ditemukan di wilayah kerja Anda."))
    return target


# --- Figures ----------------------------------------------------------------------------------------


@dataclass
class Values:
    """The figures of one area: {(metric, period): value}; a missing figure is 0."""

    data: dict[tuple[str, str], int] = field(default_factory=dict)

    def get(self, metric: str, period: str = "") -> int:
        return self.data.get((metric, period), 0)

    def total(self, metric: str, periods: list[str]) -> int:
        return sum(self.data.get((metric, p), 0) for p in periods)

    def with_prefix(self, prefix: str, period: str = "") -> dict[str, int]:
        return {k[len(prefix) :]: v for (k, p), v in self.data.items() if k.startswith(prefix) and p == period}

    def periods(self, metric: str) -> list[str]:
        return sorted(p for (k, p), v in self.data.items() if k == metric and v)


@dataclass
class Child:
    key: str
    kind: int
    code: str
    name: str
    url: str | None
    values: Values


@dataclass(frozen=True)
class Page:
    """One page of a long list of children (a kecamatan's pendamping: hundreds at a million
    families), ``number`` counted from 1; the exports always hold the whole list."""

    number: int
    size: int
    count: int

    @classmethod
    def of(cls, asked: int, size: int, count: int) -> Page:
        """The page asked for, within the pages there are (past the end: the last)."""
        pages = max(1, -(-count // size))
        return cls(number=min(max(1, asked), pages), size=size, count=count)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def first(self) -> int:
        return min(self.count, (self.number - 1) * self.size + 1)

    @property
    def last(self) -> int:
        return min(self.count, self.number * self.size)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


@dataclass
class Dashboard:
    key: str  # "", a region code or "p:<id>"
    kind: int
    name: str
    region: Region | None
    pendamping: Staff | None
    crumbs: list[tuple[str, str | None]]
    values: Values
    children: list[Child]
    area: FigureArea | None
    freshness: Freshness
    today: dt.date
    # The page of pendamping shown (a kecamatan's), None when every child is shown.
    pendamping_page: Page | None = None

    @property
    def components_on(self) -> dt.date | None:
        return self.area.components_on if self.area else None

    @property
    def is_old(self) -> bool:
        return self.area is not None and self.area.components_on < self.today


def _values(rows: Any) -> Values:
    return Values({(metric, period): value for metric, period, value in rows})


def _region_name(region: Region | None) -> str:
    if region is None:
        return _("Seluruh Indonesia")
    if region.level == 2:
        return region.name
    return f"{region.get_kind_display()} {region.name}"


def _read(key: str, prefix: str) -> tuple[Freshness, FigureArea | None, Values]:
    """The area's figures, after refreshing the changes marked inside or above it."""
    freshness = stale_refresh_for(prefix)
    area = FigureArea.objects.filter(area=key).first()
    if area is not None and area.components_on < timezone.localdate() and not freshness.pending:
        day_refresh_queue(area, prefix)
    values = _values(Figure.objects.filter(area=key).values_list("metric", "period", "value"))
    return freshness, area, values


def _child_rows(children_q: Q) -> list[Any]:
    return list(
        Figure.objects.filter(children_q, metric__in=CHILD_METRICS).values_list(
            "area", "kind", "parent", "pendamping_id", "metric", "period", "value"
        )
    )


def _pendamping_listed(code: str) -> list[tuple[int, str]]:
    """The pendamping listed under a kecamatan (those with figures there), by name."""
    listed = Figure.objects.filter(parent=code, kind=AreaKind.PENDAMPING, metric__in=CHILD_METRICS)
    staff = Staff.objects.filter(pk__in=listed.values("pendamping_id")).values_list("pk", "full_name")
    return sorted(staff, key=lambda s: (s[1], s[0]))


def _group(rows: list[Any]) -> dict[str, tuple[int, str, int | None, dict[tuple[str, str], int]]]:
    out: dict[str, tuple[int, str, int | None, dict[tuple[str, str], int]]] = {}
    for area, kind, parent, pendamping_id, metric, period, value in rows:
        entry = out.setdefault(area, (kind, parent, pendamping_id, {}))
        entry[3][(metric, period)] = value
    return out


def _child_order(c: Child) -> tuple[int, str, int]:
    """Regions by code, then pendamping by name (then id, as ``_pendamping_listed`` pages them)."""
    if c.kind == AreaKind.PENDAMPING:
        return (c.kind, c.name, int(c.code.removeprefix("p:")))
    return (c.kind, c.code, 0)


def region_dashboard(user: Any, code: str, *, page: int | None = 1) -> Dashboard:
    """The dashboard of a region (``""``: the nation): its figures, and its children's: the regions
    one level down, plus, for a kecamatan, its pendamping (page ``page`` of them by name,
    ``PENDAMPING_PER_PAGE`` a page; every one when ``page`` is None, as the exports take them); for
    a desa, its pendamping's families in it (cells)."""
    region = region_for(user, code)
    kind = kind_of(code)
    freshness, area, values = _read(code, code)
    shown_page: Page | None = None
    staff_names: dict[int, str] | None = None
    if kind == AreaKind.DESA:
        children_q = Q(parent=code, kind=AreaKind.SEL)
    elif kind == AreaKind.KECAMATAN:
        listed = _pendamping_listed(code)
        if page is not None:
            shown_page = Page.of(page, int(setting("dashboards", "PENDAMPING_PER_PAGE")), len(listed))
            listed = listed[shown_page.first - 1 : shown_page.last]
        staff_names = dict(listed)
        children_q = Q(parent=code, kind=AreaKind.DESA) | Q(
            area__in=[f"p:{pk}" for pk in staff_names], kind=AreaKind.PENDAMPING
        )
    else:
        children_q = Q(parent=code, kind=kind + 1)
    grouped = _group(_child_rows(children_q))
    codes = [c for c, (k, *_rest) in grouped.items() if k != AreaKind.PENDAMPING and k != AreaKind.SEL]
    regions = {r.code: r for r in Region.objects.filter(code__in=[*codes, *ancestors(code)])}
    if staff_names is None:
        pendamping_ids = [p for _c, (k, _pa, p, _v) in grouped.items() if k == AreaKind.SEL and p]
        staff_names = dict(Staff.objects.filter(pk__in=pendamping_ids).values_list("pk", "full_name"))
    children: list[Child] = []
    for child, (ckind, _parent, pid, data) in grouped.items():
        if ckind in (AreaKind.PENDAMPING, AreaKind.SEL):
            name = staff_names.get(pid or 0, f"#{pid}")
            url = reverse("dashboards:pendamping", args=[pid])
            children.append(Child(child, ckind, f"p:{pid}", name, url, Values(data)))
        else:
            r = regions.get(child)
            url = reverse("dashboards:region", args=[child])
            children.append(Child(child, ckind, child, r.name if r else child, url, Values(data)))
    children.sort(key=_child_order)
    crumbs: list[tuple[str, str | None]] = []
    for up in reversed(ancestors(code)):
        label = _region_name(regions.get(up)) if up else _("Indonesia")
        if not may_see_region(user, up):
            crumbs.append((label, None))
        else:
            crumbs.append((label, reverse("dashboards:region", args=[up]) if up else reverse("dashboards:national")))
    return Dashboard(
        key=code,
        kind=kind,
        name=_region_name(region),
        region=region,
        pendamping=None,
        crumbs=crumbs,
        values=values,
        children=children,
        area=area,
        freshness=freshness,
        today=timezone.localdate(),
        pendamping_page=shown_page,
    )


def pendamping_dashboard(user: Any, pk: int) -> Dashboard:
    """A pendamping's dashboard: the figures of their families (and groups), and one row per desa
    where they have families (their cells). Stale marks are refreshed for the pendamping's
    kecamatan, where their families live (a family of theirs elsewhere is refreshed by its own
    kecamatan's reads, or the night's refresh)."""
    target = pendamping_for(user, pk)
    key = f"p:{target.pk}"
    prefix = str(target.region_id or "")
    freshness, area, values = _read(key, prefix)
    grouped = _group(_child_rows(Q(pendamping_id=target.pk, kind=AreaKind.SEL)))
    desas = [parent for _k, (_kind, parent, _p, _v) in grouped.items()]
    names = dict(Region.objects.filter(code__in=[*desas, *([prefix] if prefix else [])]).values_list("code", "name"))
    children = []
    for _cell, (ckind, desa, _pid, data) in grouped.items():
        if may_see_region(user, desa):
            url: str | None = reverse("dashboards:region", args=[desa])
        else:
            url = reverse("registry:list") + f"?region={desa}"
        children.append(Child(desa, ckind, desa, names.get(desa, desa), url, Values(data)))
    children.sort(key=lambda c: c.code)
    crumbs: list[tuple[str, str | None]] = []
    if prefix and may_see_region(user, prefix):
        crumbs.append((names.get(prefix, prefix), reverse("dashboards:region", args=[prefix])))
    return Dashboard(
        key=key,
        kind=AreaKind.PENDAMPING,
        name=target.full_name,
        region=target.region,
        pendamping=target,
        crumbs=crumbs,
        values=values,
        children=children,
        area=area,
        freshness=freshness,
        today=timezone.localdate(),
    )
