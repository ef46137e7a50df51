"""Build verified PREP flashcards (Anki package and printable PDFs) from Markdown cards."""

__version__ = "0.1.0"
