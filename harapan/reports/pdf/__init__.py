"""The reports as printable A4 PDFs (fpdf2): the monthly report and the district profile."""

from .document import ReportPDF, filename
from .monthly import monthly_pdf
from .profile import profile_pdf

__all__ = ["ReportPDF", "filename", "monthly_pdf", "profile_pdf"]
