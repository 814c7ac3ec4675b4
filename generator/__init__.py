"""Studylog: a reading list and a study log, as one MkDocs site."""
