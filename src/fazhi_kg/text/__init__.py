"""Reading reports: bytes to `SourceText` (decode, HTML to text, normalization with an offset map back to the original)."""
