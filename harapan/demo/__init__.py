"""The demo district: a synthetic but realistic PKH district on real Kemendagri region codes.

- ``plan``: pendamping, kecamatan and kelompok of a district (Bondowoso's scale by default, seed 000);
- ``generator``: families in the KPM import layout (FORMATS.md §6.1), lazy and deterministic;
- ``kpm_file``: the same families written as XLSX / CSV import files, optionally with mistakes;
- ``services``: the demo logins (one per role, password ``harapan-demo``) and the school history the
  seed dates back (each pupil's level, and the one finished in June) so past tahap cut-offs find it;
- ``field``: a year in the field — meetings held with attendance, absence flags, products;
- ``programme``: the programme year — verification and sanctions, the tahap to the bank's results,
  dana sharing, knowledge checks, graduasi mandiri, and the other apps' demo seeders;
- commands ``seed_demo`` (through the KPM import), ``seed_field_year``, ``seed_programme_year`` and
  ``demo_kpm_file``.
"""
