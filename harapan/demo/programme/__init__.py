"""The demo district's programme year (issues 5 and 7), after the year in the field
(``harapan.demo.field``): what the district's staff did with it, through each context's own services
(set-based where a context has a bulk path), in the order it happened.

- ``verification``: the months' commitment verification - school and health facility files
  brought in through the compliance import, the ladder evaluated month by month (P2K2 records from
  the meetings held; sanctions raised and lifted);
- ``payments``: the tahap whose cut-off has passed, opened, computed, approved by Dinas Sosial,
  issued and reconciled with each bank's result file (burekol, carry-over, blocked accounts); the
  district's dana sharing;
- ``checks``: before/after knowledge checks at the groups' latest meetings;
- ``graduations``: graduasi mandiri through assessment, proposal, signed statement and approval;
- ``year``: the steps in date order, then complaints, referrals, facilitator training and the alumni
  survey through the seeders of their apps;
- ``summary``: the figures the sources quote, read back from the database.

Command: ``harapan seed-programme-year`` (``demo.management.commands.seed_programme_year``).
"""

from .payments import year_tahap
from .summary import ProgrammeSummary, programme_year_summary
from .year import ProgrammeRates, ProgrammeResult, programme_year_seed

__all__ = [
    "ProgrammeRates",
    "ProgrammeResult",
    "ProgrammeSummary",
    "programme_year_seed",
    "programme_year_summary",
    "year_tahap",
]
