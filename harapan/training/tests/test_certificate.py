"""The certificate of a participant who completed (issue 7: "A certificate (PDF) for each
participant who completes"; RULES.md "People and ratios": Facilitator training): number, name, NIP,
programme, cohort, dates, centre, lesson hours, signature line; rendered and read back."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from django.utils import timezone

from harapan.graduation.statement import tanggal
from harapan.training import services
from harapan.training.certificate import certificate_data, certificate_pdf
from harapan.training.models import Participant, ParticipantStatus

from .conftest import TrainingWorld

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    doc = pdfium.PdfDocument(body)
    try:
        pages = [doc[i] for i in range(len(doc))]
        text = "\n".join(page.get_textpage().get_text_range() for page in pages)
        assert len(doc) == 1
        width, height = pages[0].get_size()
        assert width > height  # landscape
        bitmap = pages[0].render(scale=0.5).to_pil()  # it renders
        assert bitmap.size[0] > 0
        return " ".join(text.split())
    finally:
        doc.close()


def passed_participant(tw: TrainingWorld) -> Participant:
    p = tw.enrol("pendamping")
    Participant.objects.filter(pk=p.pk).update(
        status=ParticipantStatus.PASSED,
        certificate_number=services.certificate_number(tw.cohort, 1),
        completed_on=tw.cohort.ends_on,
        final_score="88.57",
    )
    return Participant.objects.select_related("cohort__programme", "cohort__centre__region", "staff").get(pk=p.pk)


def test_certificate_names_the_participant_programme_cohort_dates_centre_and_hours(tw: TrainingWorld) -> None:
    p = passed_participant(tw)
    text = pdf_text(certificate_pdf(certificate_data(p)))
    for expected in (
        "SERTIFIKAT",
        p.certificate_number,
        "Pendamping Maesan",
        "199001012019032001",
        "Diklat P2K2 angkatan ke-10",
        "BBPPKS Yogyakarta",
        tanggal(tw.cohort.starts_on),
        tanggal(tw.cohort.ends_on),
        "60 jam pelajaran",
        "88.57",
        "Kepala BBPPKS Yogyakarta",
        "NIP. ....",
    ):
        assert expected in text, expected


def test_certificate_download_is_a_pdf_of_that_participant(tw: TrainingWorld) -> None:
    p = passed_participant(tw)
    response = tw.client("pendamping").get(f"/diklat/sertifikat/{p.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert p.certificate_number in pdf_text(body)


def test_no_certificate_before_the_participant_passed(tw: TrainingWorld) -> None:
    p = tw.enrol("pendamping")
    assert tw.client("pendamping").get(f"/diklat/sertifikat/{p.pk}.pdf").status_code == 404
    assert tw.client("balai").get(f"/diklat/sertifikat/{p.pk}.pdf").status_code == 404


def test_a_name_outside_latin_1_is_replaced_not_dropped(tw: TrainingWorld) -> None:
    p = passed_participant(tw)
    p.staff.full_name = "Siti Ṣalimah"
    data = certificate_data(p)
    assert "Siti ?alimah" in pdf_text(certificate_pdf(data))


def test_certificate_uses_the_date_the_cohort_finished(tw: TrainingWorld) -> None:
    p = passed_participant(tw)
    Participant.objects.filter(pk=p.pk).update(completed_on=timezone.localdate())
    p.refresh_from_db()
    assert tanggal(timezone.localdate()) in pdf_text(certificate_pdf(certificate_data(p)))
