"""Curation: the stored report documents, the seed CSVs read with line numbers, printed amounts,
the validation of every input against its document and the vocabulary, and draft extraction."""
