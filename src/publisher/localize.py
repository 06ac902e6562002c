"""Localize: a document and a locale give the handout text, under the publication policy."""

from __future__ import annotations

from .model import Document, LocalizedDocument


def source_handout(document: Document) -> LocalizedDocument:
    """The document in the language it was written in: always publishable."""
    return LocalizedDocument(document=document, locale=document.meta.language,
                             title=document.title, blocks=document.blocks,
                             translation="source")
