"""Framework files: a year's framework as a spreadsheet (files) and its validation and
diff (checks), both pure."""
