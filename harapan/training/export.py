"""A cohort's results as XLSX: pre vs post per session, per participant (with each session's
scores), completion and the risk of not completing (issue 7: "Results per cohort")."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from .models import Cohort
from .rules import REASON_LABELS, RISK_LABELS
from .selectors import CohortResults


def _n(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def results_xlsx(cohort: Cohort, results: CohortResults) -> bytes:
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("RINGKASAN")
    summary.append(["Program", cohort.programme.name])
    summary.append(["Angkatan", cohort.number])
    summary.append(["Balai diklat", cohort.centre.name])
    summary.append(["Mulai", cohort.starts_on])
    summary.append(["Selesai", cohort.ends_on])
    summary.append(["Peserta", results.total])
    summary.append(["Lulus / memenuhi syarat", results.completed])
    summary.append(["Tingkat penyelesaian (%)", _n(results.completion_rate)])
    sessions = wb.create_sheet("PER_SESI")
    sessions.append(
        ["Urutan", "Sesi", "Rata-rata pretest", "Rata-rata posttest", "Kenaikan", "N pretest", "N posttest"]
    )
    for s in results.sessions:
        sessions.append([s.session.order, s.session.title, _n(s.pre), _n(s.post), _n(s.gain), s.n_pre, s.n_post])
    people = wb.create_sheet("PER_PESERTA")
    header = ["Nama", "NIP", "Kabupaten/kota", "Status", "Rata-rata pretest", "Rata-rata posttest", "Kenaikan"]
    header += ["Tulisan forum", "Rata-rata nilai forum", "Memenuhi syarat", "Alasan", "Berisiko", "Nomor sertifikat"]
    for s in results.sessions:
        header += [f"Pre {s.session.order}", f"Post {s.session.order}"]
    people.append(header)
    for r in results.participants:
        p = r.participant
        row: list[object] = [
            p.staff.full_name,
            p.staff.nip,
            p.region.name if p.region_id else "",
            p.get_status_display(),
            _n(r.pre),
            _n(r.post),
            _n(r.gain),
            r.posts,
            _n(r.completion.forum_average),
            "ya" if r.completion.completed else "tidak",
            "; ".join(str(REASON_LABELS.get(x, x)) for x in r.completion.reasons),
            "; ".join(str(RISK_LABELS.get(x, x)) for x in r.risks),
            p.certificate_number,
        ]
        for s in results.sessions:
            pre, post = r.scores.get(s.session.pk, (None, None))
            row += [_n(pre), _n(post)]
        people.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
