"""What changed between two versions of a corpus: `compare` (two `Side`s in, a frozen `Report` out) and
`render` (the report as text, Markdown or JSON). Used by the `diff` command."""
