"""Pages of commitment verification: the month's sheet and the phone form, school and health
facility files, the school form export, sanctions and evaluation."""
