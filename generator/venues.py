"""Venues: whether a venue's name is a conference, a journal or a preprint server.

The kind of venue decides a paper's BibTeX entry type (``@inproceedings``,
``@article`` or ``@misc``) and CSL type. It comes, in this order, from
``venue_type:`` in ``papers.yaml``, from Semantic Scholar (``publicationVenue.type``)
and, when neither says, from the venue's name by the small rule of
:func:`kind_of`: words such as *Journal* or *Proceedings*, and the names of
well-known venues below. A name the rule does not know gives no kind, and the
paper stays ``@misc`` with the venue in a note.
"""

from __future__ import annotations

import re

CONFERENCE = "conference"
JOURNAL = "journal"
PREPRINT = "preprint"
KINDS = (CONFERENCE, JOURNAL, PREPRINT)
"""What ``venue_type:`` takes (papers.schema.json's enum lists the same)."""

# Checked first: "Proceedings of the IEEE" is a journal, "Transactions" never a conference.
_JOURNAL_WORDS = re.compile(
    r"\b(?:journal|transactions|letters|magazine|review|proceedings of the (?:ieee|national academy|royal society))\b",
    re.IGNORECASE,
)
_CONFERENCE_WORDS = re.compile(r"\b(?:conference|conf|proceedings|proc|workshops?|symposium|meeting|congress|findings)\b",
                               re.IGNORECASE)
# Acronyms as venues write them (case matters: "Nature" the journal, not "nature" the word).
_CONFERENCES = frozenset([
    "AAAI", "AACL", "ACL", "AISTATS", "ASPLOS", "CHI", "CIKM", "COLING", "COLT", "CoNLL", "CVPR", "EACL", "ECCV",
    "ECIR", "EMNLP", "FAccT", "ICASSP", "ICCV", "ICDE", "ICDM", "ICLR", "ICML", "ICSE", "IJCAI", "INTERSPEECH",
    "Interspeech", "KDD", "LREC", "MICCAI", "MLSys", "NAACL", "NeurIPS", "NIPS", "OSDI", "RecSys", "SC", "SIGGRAPH",
    "SIGIR", "SIGMOD", "SOSP", "UAI", "VLDB", "WACV", "WSDM", "WWW",
])
_JOURNALS = frozenset(["CACM", "JACM", "JAIR", "JMLR", "PAMI", "PNAS", "TACL", "TASLP", "TKDE", "TMLR", "TNNLS", "TPAMI",
                       "Nature", "Science"])
_PREPRINT_NAMES = frozenset(["preprint", "arxiv", "arxiv.org", "corr", "biorxiv", "medrxiv", "ssrn", "arxiv preprint"])


def is_preprint(name: str) -> bool:
    """Whether ``name`` names a preprint server or says "preprint" (``arXiv.org``, ``CoRR``, ``ArXiv abs/2107.03374``)."""
    text = " ".join(name.lower().split())
    return text in _PREPRINT_NAMES or text.startswith(("arxiv", "preprint", "corr ", "biorxiv", "medrxiv"))


def kind_of(name: str) -> str | None:
    """``conference``, ``journal`` or ``preprint`` by the venue's name, or None when the rule does not know it."""
    if is_preprint(name):
        return PREPRINT
    if _JOURNAL_WORDS.search(name):
        return JOURNAL
    if _CONFERENCE_WORDS.search(name):
        return CONFERENCE
    words = set(re.findall(r"[A-Za-z]+", name))
    if words & _JOURNALS:
        return JOURNAL
    if words & _CONFERENCES:
        return CONFERENCE
    return None


__all__ = ["CONFERENCE", "JOURNAL", "KINDS", "PREPRINT", "is_preprint", "kind_of"]
